CREATE TABLE "balances" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"type" text NOT NULL,
	"amount" numeric(20, 4) NOT NULL,
	"currency" text NOT NULL,
	"reference_date" date,
	"fetched_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"connection_id" uuid NOT NULL,
	"event" text NOT NULL,
	"payload" jsonb NOT NULL,
	"dedup_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pending_transactions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"provider_key" text,
	"expected_date" date NOT NULL,
	"amount" numeric(20, 4) NOT NULL,
	"currency" text NOT NULL,
	"counterparty_name" text,
	"counterparty_iban" text,
	"remittance_information" text,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"removed_at" timestamp with time zone,
	"settled_transaction_id" uuid
);
--> statement-breakpoint
CREATE TABLE "syncs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"connection_id" uuid NOT NULL,
	"trigger" text NOT NULL,
	"status" text NOT NULL,
	"psu_ip_address" text,
	"joined_sync_id" uuid,
	"reason" text,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "sync_runs" ALTER COLUMN "account_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "bank_accounts" ADD COLUMN "provider_account_id" text;--> statement-breakpoint
ALTER TABLE "bank_accounts" ADD COLUMN "covered_ranges" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "bank_connections" ADD COLUMN "status_reason" text;--> statement-breakpoint
ALTER TABLE "consents" ADD COLUMN "purpose" text NOT NULL;--> statement-breakpoint
ALTER TABLE "consents" ADD COLUMN "provider_consent_ref" text;--> statement-breakpoint
ALTER TABLE "consents" ADD COLUMN "authorization_url" text;--> statement-breakpoint
ALTER TABLE "consents" ADD COLUMN "state_hash" text;--> statement-breakpoint
ALTER TABLE "consents" ADD COLUMN "state_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "consents" ADD COLUMN "state_used_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "consents" ADD COLUMN "psu_ip_address" text;--> statement-breakpoint
ALTER TABLE "consents" ADD COLUMN "valid_until" date;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD COLUMN "sync_id" uuid NOT NULL;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD COLUMN "warnings" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "transactions" ADD COLUMN "source" text DEFAULT 'feed' NOT NULL;--> statement-breakpoint
ALTER TABLE "balances" ADD CONSTRAINT "balances_account_id_bank_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "bank_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_connection_id_bank_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "bank_connections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pending_transactions" ADD CONSTRAINT "pending_transactions_account_id_bank_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "bank_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pending_transactions" ADD CONSTRAINT "pending_transactions_settled_transaction_id_transactions_id_fk" FOREIGN KEY ("settled_transaction_id") REFERENCES "transactions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "syncs" ADD CONSTRAINT "syncs_connection_id_bank_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "bank_connections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "balances_account_id_fetched_at_index" ON "balances" USING btree ("account_id","fetched_at");--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_dedup_key_index" ON "notifications" USING btree ("dedup_key");--> statement-breakpoint
CREATE INDEX "notifications_tenant_id_created_at_index" ON "notifications" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "pending_transactions_account_id_index" ON "pending_transactions" USING btree ("account_id") WHERE "pending_transactions"."removed_at" is null;--> statement-breakpoint
CREATE INDEX "syncs_connection_id_requested_at_index" ON "syncs" USING btree ("connection_id","requested_at");--> statement-breakpoint
ALTER TABLE "sync_runs" ADD CONSTRAINT "sync_runs_sync_id_syncs_id_fk" FOREIGN KEY ("sync_id") REFERENCES "syncs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "consents_state_hash_index" ON "consents" USING btree ("state_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "sync_runs_sync_id_account_id_index" ON "sync_runs" USING btree ("sync_id","account_id");--> statement-breakpoint
ALTER TABLE "sync_runs" DROP COLUMN "trigger";