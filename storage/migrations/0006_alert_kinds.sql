-- A server chooses which kinds of alert it gets (launch, docking, undocking, landing)
-- and which of them mention its role; the others are posted silently. The heads-up
-- switch becomes the 'undocking' kind, and a role pinged for every alert as before.
ALTER TABLE alert_subscriptions ADD COLUMN kinds TEXT NOT NULL DEFAULT 'landing';
ALTER TABLE alert_subscriptions ADD COLUMN ping_kinds TEXT NOT NULL DEFAULT 'landing';
UPDATE alert_subscriptions SET kinds = 'undocking,landing' WHERE heads_up = 1;
UPDATE alert_subscriptions SET ping_kinds = kinds;
ALTER TABLE alert_subscriptions DROP COLUMN heads_up;
