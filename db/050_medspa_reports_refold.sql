-- 050_medspa_reports_refold.sql
-- One-time: the reporting projection's rules changed (issue 7's scenario): a credit lot is counted expired on the day
-- it lapses rather than the day the log records its expiry, and an upgrade's charge is deferred over the rest of its
-- period. Figures folded under the old rules cannot be carried on event by event (the new fold takes back lapses it
-- counted ahead, which the old one never counted), so the projection is emptied and the next catch-up folds the whole
-- log again, as POST /api/v1/reports/rebuild would. All of it comes back from member_events; the marker makes it run once.

CREATE TABLE IF NOT EXISTS medspa_migrations
(
    name       text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),

    CONSTRAINT pk_medspa_migrations PRIMARY KEY (name)
);

DELETE FROM report_members WHERE NOT EXISTS (SELECT 1 FROM medspa_migrations WHERE name = 'reports_refold_lapses');
DELETE FROM report_membership_daily WHERE NOT EXISTS (SELECT 1 FROM medspa_migrations WHERE name = 'reports_refold_lapses');
DELETE FROM report_churn_reasons WHERE NOT EXISTS (SELECT 1 FROM medspa_migrations WHERE name = 'reports_refold_lapses');
DELETE FROM report_credits_daily WHERE NOT EXISTS (SELECT 1 FROM medspa_migrations WHERE name = 'reports_refold_lapses');
DELETE FROM report_deferred_daily WHERE NOT EXISTS (SELECT 1 FROM medspa_migrations WHERE name = 'reports_refold_lapses');
DELETE FROM report_revenue_daily WHERE NOT EXISTS (SELECT 1 FROM medspa_migrations WHERE name = 'reports_refold_lapses');
DELETE FROM report_clients_monthly WHERE NOT EXISTS (SELECT 1 FROM medspa_migrations WHERE name = 'reports_refold_lapses');
DELETE FROM report_plan_moves WHERE NOT EXISTS (SELECT 1 FROM medspa_migrations WHERE name = 'reports_refold_lapses');
DELETE FROM report_lots WHERE NOT EXISTS (SELECT 1 FROM medspa_migrations WHERE name = 'reports_refold_lapses');
DELETE FROM report_visits WHERE NOT EXISTS (SELECT 1 FROM medspa_migrations WHERE name = 'reports_refold_lapses');
UPDATE report_checkpoint SET tx_horizon = '0', updated_at = now()
WHERE id = 1 AND NOT EXISTS (SELECT 1 FROM medspa_migrations WHERE name = 'reports_refold_lapses');

INSERT INTO medspa_migrations (name) VALUES ('reports_refold_lapses')
ON CONFLICT (name) DO NOTHING;
