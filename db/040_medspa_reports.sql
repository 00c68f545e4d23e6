-- 040_medspa_reports.sql
-- The reporting projection: compact tables folded from member_events, so every report over years of history reads a
-- few thousand rows instead of millions of events. Everything here can be thrown away and rebuilt from the log
-- (`MedSpa.Silo reports rebuild`). Idempotent.

-- Which transaction wrote each event. A projector that reads only rows from transactions older than every transaction
-- still running (pg_snapshot_xmin) never skips a row that commits late, which a sequence or a timestamp cannot promise.
ALTER TABLE member_events ADD COLUMN IF NOT EXISTS tx_id xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX IF NOT EXISTS ix_member_events_tx ON member_events (tx_id);

-- How far the projection has read: every event of a transaction below tx_horizon is folded in. One row; the projector
-- holds it FOR UPDATE while it writes, so two projectors (two silos) never fold the same events twice.
CREATE TABLE IF NOT EXISTS report_checkpoint
(
    id          integer     NOT NULL DEFAULT 1,
    tx_horizon  xid8        NOT NULL DEFAULT '0',
    updated_at  timestamptz NOT NULL DEFAULT now(),
    rebuilt_at  timestamptz NULL,

    CONSTRAINT pk_report_checkpoint PRIMARY KEY (id),
    CONSTRAINT ck_report_checkpoint_single CHECK (id = 1)
);
INSERT INTO report_checkpoint (id) VALUES (1) ON CONFLICT (id) DO NOTHING;

-- One row per client: how much of their log is folded in (last_seq makes a second fold of the same event impossible),
-- and what the at-risk list needs about them now.
CREATE TABLE IF NOT EXISTS report_members
(
    member_id    text    NOT NULL,
    last_seq     bigint  NOT NULL,
    name         text    NOT NULL,
    email        text    NOT NULL,
    location_id  text    NOT NULL,
    plan_id      text    NOT NULL,
    plan_version integer NOT NULL,
    status       text    NOT NULL,
    time_zone    text    NOT NULL, -- IANA zone the member's dates are local to
    card_expires date    NULL, -- last day of the card's expiry month

    CONSTRAINT pk_report_members PRIMARY KEY (member_id)
);
CREATE INDEX IF NOT EXISTS ix_report_members_card ON report_members (card_expires) WHERE card_expires IS NOT NULL;

-- Memberships per local day, plan version and home location. The first six columns are changes: summed over every
-- day up to D they give the count (or MRR, in minor units) at the end of D. The rest are what happened that day.
CREATE TABLE IF NOT EXISTS report_membership_daily
(
    day                   date    NOT NULL,
    plan_id               text    NOT NULL,
    plan_version          integer NOT NULL,
    location_id           text    NOT NULL,
    active                bigint  NOT NULL DEFAULT 0,
    mrr                   bigint  NOT NULL DEFAULT 0,
    past_due              bigint  NOT NULL DEFAULT 0,
    paused                bigint  NOT NULL DEFAULT 0,
    suspended             bigint  NOT NULL DEFAULT 0,
    pending               bigint  NOT NULL DEFAULT 0,
    joined                bigint  NOT NULL DEFAULT 0,
    reactivated           bigint  NOT NULL DEFAULT 0,
    pauses_started        bigint  NOT NULL DEFAULT 0,
    suspensions           bigint  NOT NULL DEFAULT 0,
    cancelled_voluntary   bigint  NOT NULL DEFAULT 0,
    cancelled_involuntary bigint  NOT NULL DEFAULT 0,

    CONSTRAINT pk_report_membership_daily PRIMARY KEY (day, plan_id, plan_version, location_id)
);

CREATE TABLE IF NOT EXISTS report_churn_reasons
(
    day          date    NOT NULL,
    plan_id      text    NOT NULL,
    plan_version integer NOT NULL,
    location_id  text    NOT NULL,
    reason       text    NOT NULL,
    involuntary  boolean NOT NULL,
    cancelled    bigint  NOT NULL DEFAULT 0,

    CONSTRAINT pk_report_churn_reasons PRIMARY KEY (day, plan_id, plan_version, location_id, reason, involuntary)
);

-- Credit movements per day, by the plan the lot was granted under. Units are treatments, dollars are minor units.
-- allocated - redeemed - expired + adjusted, summed up to D, is what is still open at the end of D.
CREATE TABLE IF NOT EXISTS report_credits_daily
(
    day          date    NOT NULL,
    plan_id      text    NOT NULL,
    plan_version integer NOT NULL,
    location_id  text    NOT NULL,
    benefit_key  text    NOT NULL,
    kind         text    NOT NULL,
    allocated    bigint  NOT NULL DEFAULT 0,
    redeemed     bigint  NOT NULL DEFAULT 0,
    expired      bigint  NOT NULL DEFAULT 0,
    adjusted     bigint  NOT NULL DEFAULT 0,

    CONSTRAINT pk_report_credits_daily PRIMARY KEY (day, plan_id, plan_version, location_id, benefit_key, kind)
);

-- Deferred membership revenue as a piecewise-linear function of the day number: the deferred amount at the end of
-- day D is sum(fixed) - D * sum(slope) over the rows up to D (see ReportProjection.Defer).
CREATE TABLE IF NOT EXISTS report_deferred_daily
(
    day          date    NOT NULL,
    plan_id      text    NOT NULL,
    plan_version integer NOT NULL,
    location_id  text    NOT NULL,
    fixed        numeric NOT NULL DEFAULT 0,
    slope        numeric NOT NULL DEFAULT 0,

    CONSTRAINT pk_report_deferred_daily PRIMARY KEY (day, plan_id, plan_version, location_id)
);

-- Revenue per day, by whether the client was a member, and by what it was for: a service id (its treatment type is
-- looked up when reporting), or membership, add_on, refund.
CREATE TABLE IF NOT EXISTS report_revenue_daily
(
    day          date   NOT NULL,
    location_id  text   NOT NULL,
    client_kind  text   NOT NULL,
    revenue_key  text   NOT NULL,
    amount       bigint NOT NULL DEFAULT 0,

    CONSTRAINT pk_report_revenue_daily PRIMARY KEY (day, location_id, client_kind, revenue_key)
);

-- Paying clients per month: each client counted once a month for each kind (member, non-member) they paid as.
CREATE TABLE IF NOT EXISTS report_clients_monthly
(
    month        date   NOT NULL,
    location_id  text   NOT NULL,
    client_kind  text   NOT NULL,
    clients      bigint NOT NULL DEFAULT 0,

    CONSTRAINT pk_report_clients_monthly PRIMARY KEY (month, location_id, client_kind)
);

CREATE TABLE IF NOT EXISTS report_plan_moves
(
    day          date    NOT NULL,
    location_id  text    NOT NULL,
    from_plan    text    NOT NULL,
    from_version integer NOT NULL,
    to_plan      text    NOT NULL,
    to_version   integer NOT NULL,
    direction    text    NOT NULL,
    moves        bigint  NOT NULL DEFAULT 0,

    CONSTRAINT pk_report_plan_moves PRIMARY KEY (day, location_id, from_plan, from_version, to_plan, to_version, direction)
);

-- Each client's lots that still hold something, and their visits: the at-risk list reads these.
CREATE TABLE IF NOT EXISTS report_lots
(
    member_id    text        NOT NULL,
    lot_id       text        NOT NULL,
    benefit_key  text        NOT NULL,
    granted      bigint      NOT NULL,
    remaining    bigint      NOT NULL,
    expires_at   timestamptz NULL,

    CONSTRAINT pk_report_lots PRIMARY KEY (member_id, lot_id)
);
CREATE INDEX IF NOT EXISTS ix_report_lots_expires ON report_lots (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE IF NOT EXISTS report_visits
(
    member_id text    NOT NULL,
    day       date    NOT NULL,
    visits    integer NOT NULL,

    CONSTRAINT pk_report_visits PRIMARY KEY (member_id, day)
);
CREATE INDEX IF NOT EXISTS ix_report_visits_day ON report_visits (day, member_id) INCLUDE (visits);
