-- 004_orleans_reminders.sql
-- Table and queries for Microsoft.Orleans.Reminders.AdoNet (durable reminders).
-- Requires 001_orleans_main.sql. Idempotent.
--
-- Parameter types as the provider binds them (Npgsql):
--   @ServiceId, @GrainId (GrainId.ToString()), @ReminderName : text
--   @GrainHash, @BeginHash, @EndHash : integer (uint ring hashes cast to signed int)
--   @StartTime : DbType.DateTime with a UTC value -> timestamptz
--   @Period    : integer or bigint milliseconds (bigint only above int.MaxValue)
--   @Version   : integer (the reminder's ETag parsed back to int)

CREATE TABLE IF NOT EXISTS OrleansRemindersTable
(
    ServiceId    text        NOT NULL,
    GrainId      text        NOT NULL,
    ReminderName text        NOT NULL,
    StartTime    timestamptz NOT NULL,
    Period       bigint      NOT NULL,   -- milliseconds
    GrainHash    integer     NOT NULL,   -- signed view of the grain's uniform hash
    Version      integer     NOT NULL,   -- ETag

    CONSTRAINT PK_OrleansRemindersTable PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

-- Each silo periodically loads the reminders whose GrainHash falls in the ring ranges it
-- owns (ReadRangeRows1Key / ReadRangeRows2Key); this index serves those range scans.
CREATE INDEX IF NOT EXISTS IX_OrleansRemindersTable_ServiceId_GrainHash
    ON OrleansRemindersTable (ServiceId, GrainHash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

-- All reminders of one grain.
('ReadReminderRowsKey', $sql$
SELECT GrainId, ReminderName, StartTime, Period, Version
  FROM OrleansRemindersTable
 WHERE ServiceId = @ServiceId
   AND GrainId = @GrainId;
$sql$),

-- One reminder of one grain (zero or one row).
('ReadReminderRowKey', $sql$
SELECT GrainId, ReminderName, StartTime, Period, Version
  FROM OrleansRemindersTable
 WHERE ServiceId = @ServiceId
   AND GrainId = @GrainId
   AND ReminderName = @ReminderName;
$sql$),

-- Ring range (@BeginHash, @EndHash] that does not wrap in signed order; the provider
-- picks this query when (int)begin < (int)end.
('ReadRangeRows1Key', $sql$
SELECT GrainId, ReminderName, StartTime, Period, Version
  FROM OrleansRemindersTable
 WHERE ServiceId = @ServiceId
   AND GrainHash > @BeginHash
   AND GrainHash <= @EndHash;
$sql$),

-- Ring range that wraps around (and begin = end, i.e. the full ring):
-- everything above @BeginHash plus everything up to and including @EndHash.
('ReadRangeRows2Key', $sql$
SELECT GrainId, ReminderName, StartTime, Period, Version
  FROM OrleansRemindersTable
 WHERE ServiceId = @ServiceId
   AND (GrainHash > @BeginHash OR GrainHash <= @EndHash);
$sql$),

-- Create or replace a reminder (unconditional, as the provider expects) and return the
-- new Version (ETag): 1 for a new row, previous + 1 for a replaced one.
('UpsertReminderRowKey', $sql$
INSERT INTO OrleansRemindersTable AS r
    (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
VALUES
    (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 1)
ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
    SET StartTime = EXCLUDED.StartTime,
        Period    = EXCLUDED.Period,
        GrainHash = EXCLUDED.GrainHash,
        Version   = r.Version + 1
RETURNING Version;
$sql$),

-- Delete a reminder only if its ETag still matches. Must return exactly one row with one
-- boolean column: true = deleted.
('DeleteReminderRowKey', $sql$
WITH deleted AS (
    DELETE FROM OrleansRemindersTable
     WHERE ServiceId = @ServiceId
       AND GrainId = @GrainId
       AND ReminderName = @ReminderName
       AND Version = @Version
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM deleted) AS Deleted;
$sql$),

-- Remove every reminder of the service (used by tests).
('DeleteReminderRowsKey', $sql$
DELETE FROM OrleansRemindersTable
 WHERE ServiceId = @ServiceId;
$sql$)

ON CONFLICT (QueryKey) DO UPDATE
    SET QueryText = EXCLUDED.QueryText
  WHERE OrleansQuery.QueryText IS DISTINCT FROM EXCLUDED.QueryText;
