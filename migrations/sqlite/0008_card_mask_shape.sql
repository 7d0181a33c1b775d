-- Engine-specific: a masked card shows at most its first six and last four digits, `*` between
-- (SQLite cannot alter the first migration's check, which counted digits but not their place:
-- two triggers). The same shape as `app::cards::is_masked`.
CREATE TRIGGER transactions_card_masked_insert BEFORE INSERT ON transactions
WHEN NEW.card_masked GLOB '*[^0-9*]*' OR substr(NEW.card_masked, 7, length(NEW.card_masked) - 10) GLOB '*[^*]*'
BEGIN
    SELECT RAISE(ABORT, 'card_masked may show only the first six and last four digits');
END;

CREATE TRIGGER transactions_card_masked_update BEFORE UPDATE OF card_masked ON transactions
WHEN NEW.card_masked GLOB '*[^0-9*]*' OR substr(NEW.card_masked, 7, length(NEW.card_masked) - 10) GLOB '*[^*]*'
BEGIN
    SELECT RAISE(ABORT, 'card_masked may show only the first six and last four digits');
END;
