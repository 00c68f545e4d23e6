-- 020_medspa_stripe_events.sql
-- Stripe events received by POST /webhooks/stripe. Idempotent.
--
-- Stripe delivers each event at least once (and retries until it gets a 2xx), so the
-- event id is the key that makes handling happen once. A row is inserted before the
-- event is handled (processed_at NULL: a claim) and stamped processed_at after; a
-- handler that fails deletes its row, so Stripe's redelivery handles the event again.
-- A claim left by a crashed process is taken over once received_at is older than a lease.
CREATE TABLE IF NOT EXISTS stripe_events
(
    event_id     text        NOT NULL,
    type         text        NOT NULL,
    received_at  timestamptz NOT NULL, -- business time (the app's, possibly simulated, clock) of the latest claim
    processed_at timestamptz NULL,

    CONSTRAINT pk_stripe_events PRIMARY KEY (event_id)
);
