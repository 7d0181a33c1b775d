-- Engine-specific: a masked card shows at most its first six and last four digits, `*` between
-- (the first migration's check counted digits but not their place; it is replaced). The same
-- shape as `app::cards::is_masked`.
ALTER TABLE transactions DROP CONSTRAINT transactions_card_masked_check;
ALTER TABLE transactions ADD CONSTRAINT transactions_card_masked_check
    CHECK (card_masked ~ '^[0-9*]{6}[*]{3,9}[0-9*]{4}$');
