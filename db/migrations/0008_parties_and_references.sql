-- Written by hand: pg_trgm for the similar-name lookup. In pg_catalog when the role may put it
-- there, so every schema's search_path finds its functions and operator classes (bankfeed's tables
-- may live in any schema, one per test file); otherwise in this schema, as a trusted extension.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
    BEGIN
      CREATE EXTENSION pg_trgm SCHEMA pg_catalog;
    EXCEPTION WHEN insufficient_privilege THEN
      CREATE EXTENSION pg_trgm;
    END;
  END IF;
END
$$;--> statement-breakpoint
CREATE TABLE "parties" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"external_id" text NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"other_names" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"ibans" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"default_ledger_account_code" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "party_identifiers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"party_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"value" text NOT NULL,
	"origin" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "invoice_number_pattern" text;--> statement-breakpoint
ALTER TABLE "transactions" ADD COLUMN "party_id" uuid;--> statement-breakpoint
ALTER TABLE "transactions" ADD COLUMN "party_match" text;--> statement-breakpoint
ALTER TABLE "transactions" ADD COLUMN "party_confidence" numeric(4, 3);--> statement-breakpoint
ALTER TABLE "transactions" ADD COLUMN "party_candidates" jsonb;--> statement-breakpoint
ALTER TABLE "transactions" ADD COLUMN "ledger_account_code" text;--> statement-breakpoint
ALTER TABLE "transactions" ADD COLUMN "references" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "parties" ADD CONSTRAINT "parties_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_identifiers" ADD CONSTRAINT "party_identifiers_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_identifiers" ADD CONSTRAINT "party_identifiers_party_id_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "parties"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "parties_tenant_id_external_id_index" ON "parties" USING btree ("tenant_id","external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "party_identifiers_party_id_kind_value_index" ON "party_identifiers" USING btree ("party_id","kind","value");--> statement-breakpoint
CREATE INDEX "party_identifiers_tenant_id_kind_value_index" ON "party_identifiers" USING btree ("tenant_id","kind","value");--> statement-breakpoint
CREATE INDEX "party_identifiers_name_trigrams" ON "party_identifiers" USING gin ("value" gin_trgm_ops) WHERE "party_identifiers"."kind" = 'name';--> statement-breakpoint
ALTER TABLE "transactions" ADD CONSTRAINT "transactions_party_id_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "parties"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "transactions_party_id_index" ON "transactions" USING btree ("party_id");--> statement-breakpoint
-- Written by hand: every column the ledger reads counts as a change the feed reports (a party
-- matched again, references found), all but the row's keys and bookkeeping; a column added later
-- counts without touching the trigger again.
DROP TRIGGER "transactions_changed" ON "transactions";--> statement-breakpoint
CREATE TRIGGER "transactions_changed" BEFORE UPDATE ON "transactions" FOR EACH ROW
  WHEN ((to_jsonb(OLD) - '{provider_key,key_namespace,fingerprint,source,created_at,updated_at,created_xid,changed_xid,change_seq}'::text[])
    IS DISTINCT FROM (to_jsonb(NEW) - '{provider_key,key_namespace,fingerprint,source,created_at,updated_at,created_xid,changed_xid,change_seq}'::text[]))
  EXECUTE FUNCTION "mark_transaction_change"();
