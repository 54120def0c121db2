CREATE SEQUENCE "transaction_changes" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
ALTER TABLE "pending_transactions" ADD COLUMN "created_xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL;--> statement-breakpoint
ALTER TABLE "pending_transactions" ADD COLUMN "changed_xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL;--> statement-breakpoint
ALTER TABLE "pending_transactions" ADD COLUMN "change_seq" bigint DEFAULT nextval('transaction_changes') NOT NULL;--> statement-breakpoint
ALTER TABLE "transactions" ADD COLUMN "created_xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL;--> statement-breakpoint
ALTER TABLE "transactions" ADD COLUMN "changed_xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL;--> statement-breakpoint
ALTER TABLE "transactions" ADD COLUMN "change_seq" bigint DEFAULT nextval('transaction_changes') NOT NULL;--> statement-breakpoint
CREATE INDEX "pending_transactions_changed_xid_change_seq_index" ON "pending_transactions" USING btree ("changed_xid","change_seq");--> statement-breakpoint
CREATE INDEX "transactions_changed_xid_change_seq_index" ON "transactions" USING btree ("changed_xid","change_seq");--> statement-breakpoint
-- Written by hand (drizzle-kit does not model triggers): a change the ledger can see moves the
-- row's change markers, so the feed reports it as modified; keys, timestamps and "last seen"
-- bookkeeping do not.
CREATE FUNCTION "mark_transaction_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.changed_xid := pg_current_xact_id();
  NEW.change_seq := nextval('transaction_changes');
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "transactions_changed" BEFORE UPDATE ON "transactions" FOR EACH ROW
  WHEN ((OLD.value_date, OLD.end_to_end_id, OLD.bank_transaction_code, OLD.counterparty_iban) IS DISTINCT FROM (NEW.value_date, NEW.end_to_end_id, NEW.bank_transaction_code, NEW.counterparty_iban))
  EXECUTE FUNCTION "mark_transaction_change"();--> statement-breakpoint
CREATE TRIGGER "pending_transactions_changed" BEFORE UPDATE ON "pending_transactions" FOR EACH ROW
  WHEN ((OLD.removed_at, OLD.settled_transaction_id) IS DISTINCT FROM (NEW.removed_at, NEW.settled_transaction_id))
  EXECUTE FUNCTION "mark_transaction_change"();
