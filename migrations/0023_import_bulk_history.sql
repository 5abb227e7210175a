-- A bulk import inserts 240,000 reports and as many revisions. Each row ran, besides the foreign key
-- checks, three PL/pgSQL trigger functions: its history version (a lookup of the key's earlier
-- versions, then an INSERT into history.T) and, for a revision, the investment rollup (which returns
-- at once while kpo.rollups_deferred is on, migration 0020, but is still called once per row).
-- 1. A transaction that sets kpo.history_inserts_deferred (transaction-local, like
--    kpo.rollups_deferred) writes the history versions of the rows it inserts itself, set-based, in
--    the same statement (the import: an INSERT … RETURNING * into history.T with sys_from now() and
--    sys_txid the transaction — what the row trigger writes for a key with no earlier versions, and
--    the import's keys are new uuidv7s). For it, the history row trigger is not even queued: the
--    INSERT part of the trigger is now its own trigger <t>_history_insert with a WHEN clause on the
--    setting; <t>_history keeps UPDATE and DELETE, versioned by the row trigger as always. Every
--    other writer (without the setting) gets exactly the versions it got before. history.enable is
--    rewritten to make both triggers and called again for the tables the import writes in bulk;
--    any later history.enable call (a migration adding a column) makes them too.
-- 2. The rollup trigger of revisions gets the WHEN clause of its own early return, so that with
--    kpo.rollups_deferred on it is not queued per row either.
CREATE OR REPLACE FUNCTION history.enable(t text, since text) RETURNS void
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
  EXECUTE format('CREATE TRIGGER %I AFTER UPDATE OR DELETE ON public.%I FOR EACH ROW EXECUTE FUNCTION history.%I()',
    t || '_history', t, t || '_version');
  EXECUTE format('DROP TRIGGER IF EXISTS %I ON public.%I', t || '_history_insert', t);
  EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON public.%I FOR EACH ROW
    WHEN (current_setting(''kpo.history_inserts_deferred'', true) IS DISTINCT FROM ''on'') EXECUTE FUNCTION history.%I()',
    t || '_history_insert', t, t || '_version');
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
SELECT history.enable('progress_reports', 'r.created_at');
--> statement-breakpoint
SELECT history.enable('progress_report_revisions', 'r.recorded_at');
--> statement-breakpoint
DROP TRIGGER progress_report_revisions_rollup ON progress_report_revisions;
--> statement-breakpoint
CREATE TRIGGER progress_report_revisions_rollup AFTER INSERT OR UPDATE OR DELETE ON progress_report_revisions FOR EACH ROW
  WHEN (current_setting('kpo.rollups_deferred', true) IS DISTINCT FROM 'on')
  EXECUTE FUNCTION kpo_progress_report_revisions_rollup();
