CREATE TABLE "connection_accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"connection_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"provider_account_id" text,
	"created_account" boolean NOT NULL,
	"attached_at" timestamp with time zone DEFAULT now() NOT NULL,
	"detached_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "removed_transactions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"account_id" uuid NOT NULL,
	"replaced_by" uuid,
	"removed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL,
	"changed_xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL,
	"change_seq" bigint DEFAULT nextval('transaction_changes') NOT NULL
);
--> statement-breakpoint
ALTER TABLE "bank_accounts" ALTER COLUMN "connection_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "bank_accounts" ADD COLUMN "tenant_id" uuid;--> statement-breakpoint
ALTER TABLE "bank_accounts" ADD COLUMN "refetch_from" date;--> statement-breakpoint
ALTER TABLE "transactions" ADD COLUMN "key_namespace" text;--> statement-breakpoint
ALTER TABLE "connection_accounts" ADD CONSTRAINT "connection_accounts_connection_id_bank_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "bank_connections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connection_accounts" ADD CONSTRAINT "connection_accounts_account_id_bank_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "bank_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "removed_transactions" ADD CONSTRAINT "removed_transactions_account_id_bank_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "bank_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "removed_transactions" ADD CONSTRAINT "removed_transactions_replaced_by_transactions_id_fk" FOREIGN KEY ("replaced_by") REFERENCES "transactions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "connection_accounts_connection_id_account_id_index" ON "connection_accounts" USING btree ("connection_id","account_id");--> statement-breakpoint
CREATE INDEX "connection_accounts_account_id_index" ON "connection_accounts" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "removed_transactions_changed_xid_change_seq_index" ON "removed_transactions" USING btree ("changed_xid","change_seq");--> statement-breakpoint
ALTER TABLE "bank_accounts" ADD CONSTRAINT "bank_accounts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Written by hand: one bank account per tenant + IBAN + currency. Until now every connection had
-- accounts of its own, so linking a bank again made twins that hold the same transactions. Each
-- group of twins becomes its oldest account; the others' rows move into it, and their
-- transactions that it holds already (same key in the same namespace, or same fingerprint) are
-- dropped and reported to the ledger's feed as removed. Nothing is lost: what only a twin had moves.
UPDATE "bank_accounts" a SET "tenant_id" = c."tenant_id", "iban" = upper(regexp_replace(a."iban", '\s', '', 'g'))
  FROM "bank_connections" c WHERE c."id" = a."connection_id";--> statement-breakpoint
UPDATE "transactions" SET "key_namespace" = CASE "source" WHEN 'file' THEN 'file' ELSE 'nextgenpsd2' END WHERE "provider_key" IS NOT NULL;--> statement-breakpoint
DROP TRIGGER "transactions_changed" ON "transactions";--> statement-breakpoint
CREATE TRIGGER "transactions_changed" BEFORE UPDATE ON "transactions" FOR EACH ROW
  WHEN ((OLD.account_id, OLD.value_date, OLD.end_to_end_id, OLD.bank_transaction_code, OLD.counterparty_iban) IS DISTINCT FROM (NEW.account_id, NEW.value_date, NEW.end_to_end_id, NEW.bank_transaction_code, NEW.counterparty_iban))
  EXECUTE FUNCTION "mark_transaction_change"();--> statement-breakpoint
DROP TRIGGER "pending_transactions_changed" ON "pending_transactions";--> statement-breakpoint
CREATE TRIGGER "pending_transactions_changed" BEFORE UPDATE ON "pending_transactions" FOR EACH ROW
  WHEN ((OLD.account_id, OLD.removed_at, OLD.settled_transaction_id) IS DISTINCT FROM (NEW.account_id, NEW.removed_at, NEW.settled_transaction_id))
  EXECUTE FUNCTION "mark_transaction_change"();--> statement-breakpoint
CREATE TEMPORARY TABLE "account_survivors" AS
  SELECT a."id", first_value(a."id") OVER w AS "survivor",
    first_value(a."ledger_account_code") OVER (PARTITION BY a."tenant_id", a."iban", a."currency" ORDER BY (a."ledger_account_code" IS NULL), a."updated_at" DESC) AS "ledger_account_code",
    first_value(a."enabled") OVER (PARTITION BY a."tenant_id", a."iban", a."currency" ORDER BY a."updated_at" DESC) AS "enabled",
    first_value(a."name") OVER (PARTITION BY a."tenant_id", a."iban", a."currency" ORDER BY (a."name" IS NULL), a."updated_at" DESC) AS "name"
  FROM "bank_accounts" a
  WINDOW w AS (PARTITION BY a."tenant_id", a."iban", a."currency" ORDER BY a."created_at", a."id");--> statement-breakpoint
INSERT INTO "connection_accounts" ("connection_id", "account_id", "provider_account_id", "created_account", "attached_at", "detached_at")
  SELECT a."connection_id", s."survivor", CASE WHEN c."status" = 'disconnected' THEN NULL ELSE a."provider_account_id" END, a."id" = s."survivor", a."created_at",
    CASE WHEN c."status" = 'disconnected' THEN c."updated_at" END
  FROM "bank_accounts" a JOIN "account_survivors" s ON s."id" = a."id" JOIN "bank_connections" c ON c."id" = a."connection_id";--> statement-breakpoint
DO $$
DECLARE
  twin record;
BEGIN
  FOR twin IN SELECT s."id", s."survivor" FROM "account_survivors" s JOIN "bank_accounts" a ON a."id" = s."id" WHERE s."id" <> s."survivor" ORDER BY a."created_at", a."id" LOOP
    -- Held already (the uniqueness of keys and fingerprints per account says they cannot both stay): removed, pointing to the row that holds it.
    INSERT INTO "removed_transactions" ("id", "account_id", "replaced_by")
      SELECT t."id", twin."survivor", coalesce(
          (SELECT k."id" FROM "transactions" k WHERE k."account_id" = twin."survivor" AND k."provider_key" = t."provider_key" AND k."key_namespace" IS NOT DISTINCT FROM t."key_namespace"),
          (SELECT f."id" FROM "transactions" f WHERE f."account_id" = twin."survivor" AND f."fingerprint" = t."fingerprint"))
      FROM "transactions" t
      WHERE t."account_id" = twin."id" AND (
        EXISTS (SELECT 1 FROM "transactions" k WHERE k."account_id" = twin."survivor" AND k."provider_key" = t."provider_key" AND k."key_namespace" IS NOT DISTINCT FROM t."key_namespace")
        OR EXISTS (SELECT 1 FROM "transactions" f WHERE f."account_id" = twin."survivor" AND f."fingerprint" = t."fingerprint"));
    UPDATE "pending_transactions" p SET "settled_transaction_id" = r."replaced_by" FROM "removed_transactions" r WHERE p."settled_transaction_id" = r."id";
    DELETE FROM "transactions" t USING "removed_transactions" r WHERE t."id" = r."id" AND t."account_id" = twin."id";
    UPDATE "transactions" SET "account_id" = twin."survivor" WHERE "account_id" = twin."id";
    -- Pending entries the survivor lists too are removed; the rest move.
    UPDATE "pending_transactions" p SET "removed_at" = now()
      WHERE p."account_id" = twin."id" AND p."removed_at" IS NULL AND EXISTS (
        SELECT 1 FROM "pending_transactions" q WHERE q."account_id" = twin."survivor" AND q."removed_at" IS NULL AND (
          q."provider_key" = p."provider_key" OR (q."expected_date", q."amount", q."currency", q."counterparty_name", q."remittance_information")
            IS NOT DISTINCT FROM (p."expected_date", p."amount", p."currency", p."counterparty_name", p."remittance_information")));
    UPDATE "pending_transactions" SET "account_id" = twin."survivor" WHERE "account_id" = twin."id";
    UPDATE "balances" SET "account_id" = twin."survivor" WHERE "account_id" = twin."id";
    UPDATE "statement_imports" SET "account_id" = twin."survivor" WHERE "account_id" = twin."id";
    UPDATE "sync_runs" SET "account_id" = twin."survivor" WHERE "account_id" = twin."id";
    UPDATE "bank_accounts" a SET
        "import_start" = least(a."import_start", t."import_start"),
        "last_integration_date" = greatest(a."last_integration_date", t."last_integration_date"),
        "covered_ranges" = a."covered_ranges" || t."covered_ranges"
      FROM "bank_accounts" t WHERE a."id" = twin."survivor" AND t."id" = twin."id";
    DELETE FROM "bank_accounts" WHERE "id" = twin."id";
  END LOOP;
END
$$;--> statement-breakpoint
UPDATE "bank_accounts" a SET "ledger_account_code" = s."ledger_account_code", "enabled" = s."enabled", "name" = s."name"
  FROM "account_survivors" s WHERE s."id" = a."id" AND s."survivor" = a."id";--> statement-breakpoint
ALTER TABLE "bank_accounts" ALTER COLUMN "tenant_id" SET NOT NULL;--> statement-breakpoint
DROP TABLE "account_survivors";--> statement-breakpoint
ALTER TABLE "bank_accounts" DROP CONSTRAINT "bank_accounts_connection_id_bank_connections_id_fk";
--> statement-breakpoint
DROP INDEX "bank_accounts_connection_id_iban_currency_index";--> statement-breakpoint
DROP INDEX "transactions_account_id_provider_key_index";--> statement-breakpoint
ALTER TABLE "bank_accounts" DROP COLUMN "connection_id";--> statement-breakpoint
ALTER TABLE "bank_accounts" DROP COLUMN "provider_account_id";--> statement-breakpoint
CREATE UNIQUE INDEX "bank_accounts_tenant_id_iban_currency_index" ON "bank_accounts" USING btree ("tenant_id","iban","currency");--> statement-breakpoint
CREATE UNIQUE INDEX "transactions_account_id_key_namespace_provider_key_index" ON "transactions" USING btree ("account_id","key_namespace","provider_key");--> statement-breakpoint
ALTER TABLE "consents" ADD COLUMN "returned_at" timestamp with time zone;
