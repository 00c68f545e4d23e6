-- 010_medspa_member_events.sql
-- MedSpa's own tables (not used by Orleans providers). Idempotent.

-- member_events: the member grain's event log.
-- Append-only on purpose: a membership's history (joins, renewals, credits used,
-- payments, cancellations) is the source of truth for balances, audits and disputes,
-- so rows are never updated or deleted; state is rebuilt by replaying a member's
-- events in seq order. seq is 1-based and contiguous per member, and the primary key
-- makes a second writer that tries to append the same seq fail instead of forking the
-- history (optimistic concurrency for the single-writer member grain).
CREATE TABLE IF NOT EXISTS member_events
(
    member_id       text        NOT NULL,
    seq             bigint      NOT NULL,
    event_type      text        NOT NULL,
    payload         jsonb       NOT NULL,
    idempotency_key text        NULL,
    occurred_at     timestamptz NOT NULL,               -- business time, from the app's (possibly simulated) clock
    recorded_at     timestamptz NOT NULL DEFAULT now(), -- wall-clock time the row was written

    CONSTRAINT pk_member_events PRIMARY KEY (member_id, seq),
    CONSTRAINT ck_member_events_seq_positive CHECK (seq >= 1)
);

-- A retried command (same idempotency key) must not be applied twice for a member;
-- commands without a key are not deduplicated.
CREATE UNIQUE INDEX IF NOT EXISTS ux_member_events_idempotency
    ON member_events (member_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;

-- Reports scan by kind of event over a business-time window
-- (e.g. all "payment_failed" in March) without touching every member's stream.
CREATE INDEX IF NOT EXISTS ix_member_events_type_occurred
    ON member_events (event_type, occurred_at);

-- member_due: the due index. One row per member that has pending time-based work
-- (renewal, credit expiry, retrying a failed payment...), holding the next instant
-- at which that member grain has something due. A scheduler polls
-- "due_at <= now" to wake exactly those grains, instead of keeping an Orleans reminder
-- or a timer per member or scanning every member's events. The member grain upserts
-- its row whenever its next due instant changes and deletes it when nothing is pending.
CREATE TABLE IF NOT EXISTS member_due
(
    member_id  text        NOT NULL,
    due_at     timestamptz NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),

    CONSTRAINT pk_member_due PRIMARY KEY (member_id)
);

-- Serves the scheduler's "what is due by now, earliest first" query.
CREATE INDEX IF NOT EXISTS ix_member_due_due_at
    ON member_due (due_at);
