-- System-versioned tables (the model of SQL:2011 FOR SYSTEM_TIME AS OF), kept by database triggers so
-- that every insert, update and delete is versioned whoever makes it: the API, an import, the demo
-- writer or plain SQL. For each versioned table public.T, history.T holds every version of every row,
-- the current one included, with the transaction-time range in which it was current:
--   sys_from        when the version became current: the start of the transaction that wrote it
--                   (now()), moved 1 µs past the previous version's start if a transaction that began
--                   earlier replaced a version written by one that began later;
--   sys_to          when it stopped being current ('infinity' while it is);
--   sys_txid        the writing transaction (pg_current_xact_id()): audit_events.xid of the same
--                   transaction names the key, role, X-Actor and request id;
--   sys_ended_txid, sys_ended_by ('update' or 'delete'): the transaction that replaced or removed it.
-- The table "as known at" T is the view known_at.T: `select <T's columns> from history.T where
-- sys_from <= T and sys_to > T`, T read from the setting kpo.known_at. A read transaction that sets
-- kpo.known_at and puts known_at before public in its search_path (src/db/history.ts, readKnownAt)
-- runs the very queries of a current answer on the records as they were known then. A version that a transaction writes and replaces again before it commits was
-- never seen by anyone else and is not kept. TRUNCATE of a versioned table is refused.
CREATE SCHEMA IF NOT EXISTS history;
--> statement-breakpoint
CREATE SCHEMA IF NOT EXISTS known_at;
--> statement-breakpoint
-- (Re)creates the history of public.<t>: its table (every column of t, nullable, since a column
-- added later has no value in older versions, plus the sys_ columns), the trigger function with
-- t's column list written out (no dynamic SQL per row), the row trigger, the TRUNCATE guard and the
-- view known_at.<t>.
-- A migration that adds a column to a versioned table calls it again: the column is added to the
-- history and the function rewritten. `since` is the SQL expression (over the row as `r`) giving
-- when an existing row became known, for rows that are there before their history starts.
CREATE FUNCTION history.enable(t text, since text) RETURNS void
LANGUAGE plpgsql AS $enable$
DECLARE
  rel regclass := format('public.%I', t)::regclass;
  c record;
  cols text;
  new_values text;
  old_key text;
  new_key text;
  key_changed text;
  key_cols text;
  row_cols text;
BEGIN
  EXECUTE format('CREATE TABLE IF NOT EXISTS history.%I (sys_from timestamptz NOT NULL, sys_to timestamptz NOT NULL DEFAULT ''infinity'', sys_txid xid8 NOT NULL, sys_ended_txid xid8, sys_ended_by text)', t);
  FOR c IN
    SELECT a.attname, format_type(a.atttypid, a.atttypmod) AS type
    FROM pg_attribute a WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
  LOOP
    EXECUTE format('ALTER TABLE history.%I ADD COLUMN IF NOT EXISTS %I %s', t, c.attname, c.type);
  END LOOP;
  SELECT string_agg(format('%I', a.attname), ', ' ORDER BY a.attnum),
         string_agg(format('NEW.%I', a.attname), ', ' ORDER BY a.attnum),
         string_agg(format('r.%I', a.attname), ', ' ORDER BY a.attnum)
    INTO cols, new_values, row_cols
    FROM pg_attribute a WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped;
  SELECT string_agg(format('h.%1$I = OLD.%1$I', a.attname), ' AND '), string_agg(format('h.%1$I = NEW.%1$I', a.attname), ' AND '),
         format('(%s) IS DISTINCT FROM (%s)', string_agg(format('NEW.%I', a.attname), ', '), string_agg(format('OLD.%I', a.attname), ', ')),
         string_agg(format('%I', a.attname), ', ')
    INTO old_key, new_key, key_changed, key_cols
    FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
    WHERE i.indrelid = rel AND i.indisprimary;
  IF old_key IS NULL THEN
    RAISE EXCEPTION 'history.enable(%): the table has no primary key', t;
  END IF;
  -- One index: a row's versions in time order (the history endpoints, and finding the current
  -- version to close). As-of reads scan the history table as plain reads scan the table.
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = format('history.%I', t)::regclass AND contype = 'p') THEN
    EXECUTE format('ALTER TABLE history.%I ADD PRIMARY KEY (%s, sys_from)', t, key_cols);
  END IF;

  EXECUTE format($f$
    CREATE OR REPLACE FUNCTION history.%1$I() RETURNS trigger
    LANGUAGE plpgsql AS $body$
    DECLARE
      ts timestamptz := now();
      tx xid8 := pg_current_xact_id();
      prev record;
    BEGIN
      IF TG_OP <> 'INSERT' THEN
        IF TG_OP = 'UPDATE' AND NEW IS NOT DISTINCT FROM OLD THEN
          RETURN NULL;
        END IF;
        SELECT h.sys_from, h.sys_txid INTO prev FROM history.%2$I h WHERE %3$s AND h.sys_to = 'infinity';
        IF FOUND THEN
          IF prev.sys_txid = tx THEN
            -- Written by this same transaction: nobody else ever saw it.
            ts := prev.sys_from;
            DELETE FROM history.%2$I h WHERE %3$s AND h.sys_from = prev.sys_from;
          ELSE
            ts := greatest(ts, prev.sys_from + interval '1 microsecond');
            UPDATE history.%2$I h SET sys_to = ts, sys_ended_txid = tx, sys_ended_by = lower(TG_OP)
              WHERE %3$s AND h.sys_from = prev.sys_from;
          END IF;
        END IF;
      END IF;
      IF TG_OP <> 'DELETE' THEN
        -- A key that had versions before (deleted and inserted again, or moved to by an update)
        -- starts its new version after the last one ended, so its versions never overlap.
        IF TG_OP = 'INSERT' OR %6$s THEN
          SELECT greatest(ts, max(h.sys_to)) INTO ts FROM history.%2$I h WHERE %7$s AND h.sys_to <> 'infinity';
        END IF;
        INSERT INTO history.%2$I (%4$s, sys_from, sys_txid) VALUES (%5$s, ts, tx);
      END IF;
      RETURN NULL;
    END $body$ $f$, t || '_version', t, old_key, cols, new_values, key_changed, new_key);

  EXECUTE format('CREATE OR REPLACE VIEW known_at.%1$I AS SELECT %2$s FROM history.%1$I
    WHERE sys_from <= current_setting(''kpo.known_at'', true)::timestamptz AND sys_to > current_setting(''kpo.known_at'', true)::timestamptz',
    t, cols);

  EXECUTE format('DROP TRIGGER IF EXISTS %I ON public.%I', t || '_history', t);
  EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON public.%I FOR EACH ROW EXECUTE FUNCTION history.%I()',
    t || '_history', t, t || '_version');
  EXECUTE format('DROP TRIGGER IF EXISTS %I ON public.%I', t || '_no_truncate', t);
  EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON public.%I FOR EACH STATEMENT EXECUTE FUNCTION history.refuse_truncate()',
    t || '_no_truncate', t);

  -- Rows already there get their current version, known since `since`.
  EXECUTE format('INSERT INTO history.%1$I (%2$s, sys_from, sys_txid)
    SELECT %3$s, coalesce(%4$s, now()), pg_current_xact_id() FROM public.%1$I r
    WHERE NOT EXISTS (SELECT 1 FROM history.%1$I h WHERE %5$s AND h.sys_to = ''infinity'')',
    t, cols, row_cols, since, replace(old_key, 'OLD.', 'r.'));
END $enable$;
--> statement-breakpoint
-- TRUNCATE removes rows without row triggers, so it would leave no version behind: refused, unless a
-- session says it empties the history too (the test suite's reset, between tests).
CREATE FUNCTION history.refuse_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('kpo.truncate_history', true), '') <> 'on' THEN
    RAISE EXCEPTION 'TRUNCATE of the versioned table % is refused: it would remove rows without keeping their versions; delete the rows instead', TG_TABLE_NAME
      USING ERRCODE = 'object_in_use';
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
SELECT history.enable('departments', 'r.created_at');
--> statement-breakpoint
SELECT history.enable('leaders', 'r.created_at');
--> statement-breakpoint
SELECT history.enable('projects', 'r.created_at');
--> statement-breakpoint
SELECT history.enable('project_supporting_departments', '(select p.created_at from projects p where p.id = r.project_id)');
--> statement-breakpoint
SELECT history.enable('project_status_changes', 'r.recorded_at');
--> statement-breakpoint
SELECT history.enable('groundbreaking_batches', 'r.created_at');
--> statement-breakpoint
SELECT history.enable('annual_plans', 'r.created_at');
--> statement-breakpoint
SELECT history.enable('leader_assignments', 'r.created_at');
--> statement-breakpoint
SELECT history.enable('progress_reports', 'r.created_at');
--> statement-breakpoint
SELECT history.enable('progress_report_revisions', 'r.recorded_at');
--> statement-breakpoint
SELECT history.enable('project_investment_rollups',
  '(select min(rr.recorded_at) from progress_reports p join progress_report_revisions rr on rr.report_id = p.id where p.project_id = r.project_id and extract(year from p.period_end) = r.year)');
--> statement-breakpoint
SELECT history.enable('declared_figures', 'r.created_at');
--> statement-breakpoint
SELECT history.enable('inspections', 'r.created_at');
--> statement-breakpoint
SELECT history.enable('inspection_projects', '(select i.created_at from inspections i where i.id = r.inspection_id)');
--> statement-breakpoint
SELECT history.enable('inspection_leaders', '(select i.created_at from inspections i where i.id = r.inspection_id)');
--> statement-breakpoint
SELECT history.enable('inspection_departments', '(select i.created_at from inspections i where i.id = r.inspection_id)');
--> statement-breakpoint
SELECT history.enable('project_issues', 'r.created_at');
--> statement-breakpoint
SELECT history.enable('special_bonds', 'r.created_at');
--> statement-breakpoint
SELECT history.enable('warning_rules', 'r.created_at');
--> statement-breakpoint
SELECT history.enable('project_comments', 'r.created_at');
