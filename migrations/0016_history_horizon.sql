-- How far back the history reaches: versions that ended before `known_from` may have been moved to
-- cold storage (docs/history.md), so knownAt before it is refused instead of answered from what is
-- left. One row; '-infinity' while every version since the start is kept (the default: forever).
CREATE TABLE history.horizon (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  known_from timestamptz NOT NULL
);
--> statement-breakpoint
INSERT INTO history.horizon (known_from) VALUES ('-infinity');
