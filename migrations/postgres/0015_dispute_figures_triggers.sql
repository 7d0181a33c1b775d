-- Engine-specific: one PostgreSQL trigger function keeping the dispute figures of 0014 (SQLite has
-- triggers of their own). A status change moves a case between two rows of dispute_status_totals:
-- they are updated in the order of their status, so that two transactions moving cases in opposite
-- directions take the row locks in the same order and cannot deadlock.

CREATE FUNCTION dispute_figures_follow() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    moved boolean;
BEGIN
    IF TG_OP = 'UPDATE' AND (OLD.establishment_id, OLD.currency, OLD.status, OLD.disputed_amount, OLD.stage,
        OLD.opened_at, OLD.closed_at) IS NOT DISTINCT FROM (NEW.establishment_id, NEW.currency, NEW.status,
        NEW.disputed_amount, NEW.stage, NEW.opened_at, NEW.closed_at) THEN
        RETURN NULL;
    END IF;
    moved := TG_OP = 'UPDATE' AND (OLD.establishment_id, OLD.currency, OLD.status, OLD.disputed_amount)
        IS DISTINCT FROM (NEW.establishment_id, NEW.currency, NEW.status, NEW.disputed_amount);
    -- The old row first when it sorts first (or alone, for a delete).
    IF TG_OP = 'DELETE' OR (moved AND (OLD.establishment_id, OLD.currency, OLD.status)
        <= (NEW.establishment_id, NEW.currency, NEW.status)) THEN
        UPDATE dispute_status_totals SET cases = cases - 1, amount = amount - OLD.disputed_amount
        WHERE establishment_id = OLD.establishment_id AND currency = OLD.currency AND status = OLD.status;
    END IF;
    IF TG_OP = 'INSERT' OR moved THEN
        INSERT INTO dispute_status_totals AS t (establishment_id, currency, status, cases, amount)
        VALUES (NEW.establishment_id, NEW.currency, NEW.status, 1, NEW.disputed_amount)
        ON CONFLICT (establishment_id, currency, status)
        DO UPDATE SET cases = t.cases + 1, amount = t.amount + EXCLUDED.amount;
    END IF;
    IF moved AND (OLD.establishment_id, OLD.currency, OLD.status) > (NEW.establishment_id, NEW.currency, NEW.status) THEN
        UPDATE dispute_status_totals SET cases = cases - 1, amount = amount - OLD.disputed_amount
        WHERE establishment_id = OLD.establishment_id AND currency = OLD.currency AND status = OLD.status;
    END IF;

    IF TG_OP <> 'INSERT' AND (TG_OP = 'DELETE' OR (OLD.establishment_id, OLD.opened_at, OLD.stage)
        IS DISTINCT FROM (NEW.establishment_id, NEW.opened_at, NEW.stage)) THEN
        UPDATE dispute_opened_hours SET cases = cases - 1
        WHERE establishment_id = OLD.establishment_id AND hour = OLD.opened_at / 3600 AND stage = OLD.stage;
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND (OLD.establishment_id, OLD.opened_at, OLD.stage)
        IS DISTINCT FROM (NEW.establishment_id, NEW.opened_at, NEW.stage)) THEN
        INSERT INTO dispute_opened_hours AS h (establishment_id, hour, stage, cases)
        VALUES (NEW.establishment_id, NEW.opened_at / 3600, NEW.stage, 1)
        ON CONFLICT (establishment_id, hour, stage) DO UPDATE SET cases = h.cases + 1;
    END IF;

    IF TG_OP <> 'INSERT' AND OLD.closed_at IS NOT NULL AND (TG_OP = 'DELETE'
        OR (OLD.establishment_id, OLD.closed_at, OLD.status) IS DISTINCT FROM (NEW.establishment_id, NEW.closed_at, NEW.status)) THEN
        UPDATE dispute_closed_hours SET cases = cases - 1
        WHERE establishment_id = OLD.establishment_id AND hour = OLD.closed_at / 3600 AND status = OLD.status;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.closed_at IS NOT NULL AND (TG_OP = 'INSERT'
        OR (OLD.establishment_id, OLD.closed_at, OLD.status) IS DISTINCT FROM (NEW.establishment_id, NEW.closed_at, NEW.status)) THEN
        INSERT INTO dispute_closed_hours AS h (establishment_id, hour, status, cases)
        VALUES (NEW.establishment_id, NEW.closed_at / 3600, NEW.status, 1)
        ON CONFLICT (establishment_id, hour, status) DO UPDATE SET cases = h.cases + 1;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER disputes_figures AFTER INSERT OR UPDATE OR DELETE ON disputes
FOR EACH ROW EXECUTE FUNCTION dispute_figures_follow();
