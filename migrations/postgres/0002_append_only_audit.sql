-- Engine-specific: the case audit trail refuses updates and deletes (PostgreSQL trigger).
CREATE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'case_events is append-only';
END;
$$;

CREATE TRIGGER case_events_no_update_or_delete BEFORE UPDATE OR DELETE ON case_events
FOR EACH ROW EXECUTE FUNCTION case_events_append_only();
