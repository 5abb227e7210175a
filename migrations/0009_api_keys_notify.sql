-- Instances cache authenticated API keys (src/modules/api-keys/api-keys.cache.ts) and drop an entry
-- when PostgreSQL says the key changed: revocation, expiry, role, binding or read-only, whoever makes
-- the change (the API, `npm run keys`, or SQL by hand). last_used_at is not among the columns, so
-- recording use does not empty caches. TRUNCATE empties them all ('*').
CREATE OR REPLACE FUNCTION kpo_api_keys_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_LEVEL = 'STATEMENT' THEN
    PERFORM pg_notify('kpo_api_keys', '*');
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('kpo_api_keys', OLD.id::text);
  ELSE
    PERFORM pg_notify('kpo_api_keys', NEW.id::text);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER api_keys_notify_change
  AFTER UPDATE OF revoked_at, expires_at, role, department_id, leader_id, read_only, secret_hash OR DELETE ON api_keys
  FOR EACH ROW EXECUTE FUNCTION kpo_api_keys_notify();
--> statement-breakpoint
CREATE TRIGGER api_keys_notify_truncate
  AFTER TRUNCATE ON api_keys
  FOR EACH STATEMENT EXECUTE FUNCTION kpo_api_keys_notify();
