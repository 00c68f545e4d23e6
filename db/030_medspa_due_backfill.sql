-- 030_medspa_due_backfill.sql
-- One-time: members enrolled before the due index was kept (issue 4) have no row in
-- member_due, so neither the clock walk nor the recovery sweep would ever wake them
-- for a renewal. Give each such member a row due at once: the sweep wakes them, and
-- each grain replaces the row with its real next due instant (or removes it when
-- nothing is scheduled). The marker makes it run once, not on every start, so a
-- cancelled member is not woken again each time a silo starts.

CREATE TABLE IF NOT EXISTS medspa_migrations
(
    name       text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),

    CONSTRAINT pk_medspa_migrations PRIMARY KEY (name)
);

INSERT INTO member_due (member_id, due_at)
SELECT DISTINCT e.member_id, now()
FROM member_events e
WHERE e.event_type = 'member_enrolled'
  AND NOT EXISTS (SELECT 1 FROM medspa_migrations m WHERE m.name = 'due_backfill')
ON CONFLICT (member_id) DO NOTHING;

INSERT INTO medspa_migrations (name) VALUES ('due_backfill')
ON CONFLICT (name) DO NOTHING;
