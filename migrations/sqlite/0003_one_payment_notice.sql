-- A payment is announced once per state (pending, then paid), whichever instance announces it.
CREATE UNIQUE INDEX notification_outbox_one_per_payment_state ON notification_outbox (payment_id, event)
    WHERE payment_id IS NOT NULL;
