CREATE TABLE "csv_presets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"preset" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "statement_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"format" text NOT NULL,
	"file_sha256" text NOT NULL,
	"bytes" bigint NOT NULL,
	"message_id" text,
	"statement_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"duplicate_of" uuid,
	"entries" integer NOT NULL,
	"inserted" integer NOT NULL,
	"updated" integer NOT NULL,
	"duplicates" integer NOT NULL,
	"pending_skipped" integer NOT NULL,
	"balance_checks" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"warnings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "csv_presets" ADD CONSTRAINT "csv_presets_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_imports" ADD CONSTRAINT "statement_imports_account_id_bank_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "bank_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "csv_presets_tenant_id_name_index" ON "csv_presets" USING btree ("tenant_id","name");--> statement-breakpoint
CREATE INDEX "statement_imports_account_id_created_at_index" ON "statement_imports" USING btree ("account_id","created_at");--> statement-breakpoint
CREATE INDEX "statement_imports_account_id_file_sha256_index" ON "statement_imports" USING btree ("account_id","file_sha256");--> statement-breakpoint
CREATE INDEX "statement_imports_account_id_message_id_index" ON "statement_imports" USING btree ("account_id","message_id");