-- The alert poll now follows crewed flights in space through who LL2 lists in space
-- (documented filters only), instead of a flight list ordered by launch date, which
-- LL2 silently ignores. What it tracked before was never complete: start afresh.
DROP TABLE tracked_flights;

-- Flights the poll has identified: crewed ones it follows while they are up, and
-- uncrewed ones (cargo) remembered so that they are never looked up again.
CREATE TABLE tracked_flights (
    flight_id     INTEGER PRIMARY KEY,
    spacecraft_id INTEGER,
    crewed        INTEGER NOT NULL,
    in_space      INTEGER NOT NULL,
    launched_at   REAL,
    first_seen    REAL NOT NULL,
    last_seen     REAL NOT NULL,
    checked_at    REAL
);

-- Who flew up on a tracked flight (launch and onboard crews).
CREATE TABLE tracked_crew (
    flight_id    INTEGER NOT NULL REFERENCES tracked_flights (flight_id) ON DELETE CASCADE,
    astronaut_id INTEGER NOT NULL,
    PRIMARY KEY (flight_id, astronaut_id)
);
CREATE INDEX tracked_crew_astronaut ON tracked_crew (astronaut_id);

-- An event stays unplanned (NULL) until its ledger rows are written, so a failure
-- between noticing an event and planning its alerts never loses it.
ALTER TABLE flight_events ADD COLUMN planned_at REAL;
UPDATE flight_events SET planned_at = detected_at;
