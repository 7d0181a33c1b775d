-- Engine-specific: SQLite triggers keeping the dispute figures of 0014 (PostgreSQL has one trigger
-- function). SQLite runs one writer at a time, so the order rows are updated in does not matter here.

CREATE TRIGGER disputes_figures_insert AFTER INSERT ON disputes
BEGIN
    INSERT INTO dispute_status_totals (establishment_id, currency, status, cases, amount)
    VALUES (NEW.establishment_id, NEW.currency, NEW.status, 1, NEW.disputed_amount)
    ON CONFLICT (establishment_id, currency, status) DO UPDATE SET cases = cases + 1, amount = amount + excluded.amount;
    INSERT INTO dispute_opened_hours (establishment_id, hour, stage, cases)
    VALUES (NEW.establishment_id, NEW.opened_at / 3600, NEW.stage, 1)
    ON CONFLICT (establishment_id, hour, stage) DO UPDATE SET cases = cases + 1;
    INSERT INTO dispute_closed_hours (establishment_id, hour, status, cases)
    SELECT NEW.establishment_id, NEW.closed_at / 3600, NEW.status, 1 WHERE NEW.closed_at IS NOT NULL
    ON CONFLICT (establishment_id, hour, status) DO UPDATE SET cases = cases + 1;
END;

CREATE TRIGGER disputes_figures_delete AFTER DELETE ON disputes
BEGIN
    UPDATE dispute_status_totals SET cases = cases - 1, amount = amount - OLD.disputed_amount
    WHERE establishment_id = OLD.establishment_id AND currency = OLD.currency AND status = OLD.status;
    UPDATE dispute_opened_hours SET cases = cases - 1
    WHERE establishment_id = OLD.establishment_id AND hour = OLD.opened_at / 3600 AND stage = OLD.stage;
    UPDATE dispute_closed_hours SET cases = cases - 1
    WHERE OLD.closed_at IS NOT NULL AND establishment_id = OLD.establishment_id AND hour = OLD.closed_at / 3600
      AND status = OLD.status;
END;

CREATE TRIGGER disputes_figures_update_status AFTER UPDATE ON disputes
WHEN OLD.establishment_id IS NOT NEW.establishment_id OR OLD.currency IS NOT NEW.currency
  OR OLD.status IS NOT NEW.status OR OLD.disputed_amount IS NOT NEW.disputed_amount
BEGIN
    UPDATE dispute_status_totals SET cases = cases - 1, amount = amount - OLD.disputed_amount
    WHERE establishment_id = OLD.establishment_id AND currency = OLD.currency AND status = OLD.status;
    INSERT INTO dispute_status_totals (establishment_id, currency, status, cases, amount)
    VALUES (NEW.establishment_id, NEW.currency, NEW.status, 1, NEW.disputed_amount)
    ON CONFLICT (establishment_id, currency, status) DO UPDATE SET cases = cases + 1, amount = amount + excluded.amount;
END;

CREATE TRIGGER disputes_figures_update_opened AFTER UPDATE ON disputes
WHEN OLD.establishment_id IS NOT NEW.establishment_id OR OLD.opened_at IS NOT NEW.opened_at
  OR OLD.stage IS NOT NEW.stage
BEGIN
    UPDATE dispute_opened_hours SET cases = cases - 1
    WHERE establishment_id = OLD.establishment_id AND hour = OLD.opened_at / 3600 AND stage = OLD.stage;
    INSERT INTO dispute_opened_hours (establishment_id, hour, stage, cases)
    VALUES (NEW.establishment_id, NEW.opened_at / 3600, NEW.stage, 1)
    ON CONFLICT (establishment_id, hour, stage) DO UPDATE SET cases = cases + 1;
END;

CREATE TRIGGER disputes_figures_update_closed AFTER UPDATE ON disputes
WHEN OLD.establishment_id IS NOT NEW.establishment_id OR OLD.closed_at IS NOT NEW.closed_at
  OR (NEW.closed_at IS NOT NULL AND OLD.status IS NOT NEW.status)
BEGIN
    UPDATE dispute_closed_hours SET cases = cases - 1
    WHERE OLD.closed_at IS NOT NULL AND establishment_id = OLD.establishment_id AND hour = OLD.closed_at / 3600
      AND status = OLD.status;
    INSERT INTO dispute_closed_hours (establishment_id, hour, status, cases)
    SELECT NEW.establishment_id, NEW.closed_at / 3600, NEW.status, 1 WHERE NEW.closed_at IS NOT NULL
    ON CONFLICT (establishment_id, hour, status) DO UPDATE SET cases = cases + 1;
END;
