ALTER TABLE "transactions" ADD COLUMN "mandate_id" text;
-- No trigger change: since 0008 the feed's change trigger counts every column but keys and
-- bookkeeping, so a corrected mandate is reported as modified.
