-- The language a server's admin picked in /alerts channel for its alerts, reminders,
-- board and scheduled events, as a Discord locale ('de', 'ja'); NULL: the server's own
-- language (its preferred locale, as Discord reports it when Capcom posts).
ALTER TABLE alert_subscriptions ADD COLUMN language TEXT;
