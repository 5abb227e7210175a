CREATE TABLE "publications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"list" text NOT NULL,
	"year" integer NOT NULL,
	"as_of" date NOT NULL,
	"basis" text NOT NULL,
	"known_at" text NOT NULL,
	"title" text NOT NULL,
	"note" text,
	"published_by" text NOT NULL,
	"published_by_role" text,
	"published_on_behalf_of" text,
	"content" text NOT NULL,
	"sha256" text NOT NULL,
	"withdrawn_at" timestamp with time zone,
	"withdrawn_reason" text,
	"withdrawn_by" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "publications_list_check" CHECK ("publications"."list" in ('city_key', 'city_key_reserve', 'town_key_industrial', 'special_bond_reserve')),
	CONSTRAINT "publications_basis_check" CHECK ("publications"."basis" in ('submitted', 'approved')),
	CONSTRAINT "publications_year_check" CHECK ("publications"."year" between 2000 and 2100),
	CONSTRAINT "publications_sha256_check" CHECK ("publications"."sha256" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "publications_withdrawn_check" CHECK (("publications"."withdrawn_at" is null) = ("publications"."withdrawn_reason" is null))
);
--> statement-breakpoint
CREATE INDEX "publications_list_year_idx" ON "publications" USING btree ("list","year","as_of");--> statement-breakpoint
-- A publication is frozen: whoever writes (API, import, plain SQL), its question, figures and hash
-- never change, and it is never deleted; only its withdrawal (withdrawn_at, its reason and key) and
-- the version stamps may be written, once.
CREATE FUNCTION publications_frozen() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'publications are never deleted (withdraw instead)' USING ERRCODE = 'check_violation', CONSTRAINT = 'publications_frozen';
  END IF;
  IF (NEW.list, NEW.year, NEW.as_of, NEW.basis, NEW.known_at, NEW.title, NEW.note, NEW.published_by, NEW.published_by_role,
      NEW.published_on_behalf_of, NEW.content, NEW.sha256, NEW.created_at)
     IS DISTINCT FROM
     (OLD.list, OLD.year, OLD.as_of, OLD.basis, OLD.known_at, OLD.title, OLD.note, OLD.published_by, OLD.published_by_role,
      OLD.published_on_behalf_of, OLD.content, OLD.sha256, OLD.created_at)
     OR (OLD.withdrawn_at IS NOT NULL AND (NEW.withdrawn_at, NEW.withdrawn_reason, NEW.withdrawn_by) IS DISTINCT FROM (OLD.withdrawn_at, OLD.withdrawn_reason, OLD.withdrawn_by)) THEN
    RAISE EXCEPTION 'a publication is frozen: only its withdrawal may be written, once' USING ERRCODE = 'check_violation', CONSTRAINT = 'publications_frozen';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER publications_frozen BEFORE UPDATE OR DELETE ON publications FOR EACH ROW EXECUTE FUNCTION publications_frozen();
--> statement-breakpoint
SELECT history.enable('publications', 'r.created_at');
