CREATE TABLE "matching_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"priority" integer DEFAULT 0 NOT NULL,
	"field" text,
	"operator" text,
	"value" text,
	"amount_min" numeric(20, 4),
	"amount_max" numeric(20, 4),
	"account_id" uuid,
	"party_id" uuid,
	"ledger_account_code" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "matching_rules_condition" CHECK ("matching_rules"."value" is not null or "matching_rules"."amount_min" is not null or "matching_rules"."amount_max" is not null or "matching_rules"."account_id" is not null),
	CONSTRAINT "matching_rules_text_condition" CHECK (("matching_rules"."field" is null) = ("matching_rules"."operator" is null) and ("matching_rules"."field" is null) = ("matching_rules"."value" is null)),
	CONSTRAINT "matching_rules_result" CHECK ("matching_rules"."party_id" is not null or "matching_rules"."ledger_account_code" is not null)
);
--> statement-breakpoint
ALTER TABLE "transactions" ADD COLUMN "matching_rule_id" uuid;--> statement-breakpoint
ALTER TABLE "matching_rules" ADD CONSTRAINT "matching_rules_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matching_rules" ADD CONSTRAINT "matching_rules_account_id_bank_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "bank_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matching_rules" ADD CONSTRAINT "matching_rules_party_id_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "parties"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "matching_rules_tenant_id_priority_index" ON "matching_rules" USING btree ("tenant_id","priority");