-- 002_orleans_clustering.sql
-- Tables and queries for Microsoft.Orleans.Clustering.AdoNet (silo membership and the
-- gateway list that clients read). Requires 001_orleans_main.sql. Idempotent.
--
-- Parameter types as the provider binds them (Npgsql, Invariant "Npgsql"):
--   @DeploymentId (= ClusterId), @Address, @SiloName, @HostName, @SuspectTimes : text
--   @Port, @Generation, @Status, @ProxyPort, @Version                           : integer
--   @StartTime, @IAmAliveTime : DbType.DateTime carrying UTC values -> timestamptz
-- Status is the SiloStatus enum as an integer: 3 = Active, 6 = Dead.

-- One row per cluster. Version is the membership table's optimistic-concurrency token:
-- every insert/update of a membership row must present the version it last read and
-- bumps it by one in the same statement, so two silos cannot both act on a stale view.
CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId text         NOT NULL,
    ModifiedAt   timestamptz  NOT NULL DEFAULT now(),
    Version      integer      NOT NULL DEFAULT 0,

    CONSTRAINT PK_OrleansMembershipVersionTable PRIMARY KEY (DeploymentId)
);

-- One row per silo incarnation (address + port + generation).
-- SiloName, HostName and ProxyPort are NOT NULL because the provider reads them with
-- casts that throw on DBNull.
CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId text         NOT NULL,
    Address      text         NOT NULL,  -- IPAddress.ToString()
    Port         integer      NOT NULL,
    Generation   integer      NOT NULL,
    SiloName     text         NOT NULL,
    HostName     text         NOT NULL,
    Status       integer      NOT NULL,
    ProxyPort    integer      NOT NULL,  -- gateway port, 0 = not a gateway
    SuspectTimes text         NULL,      -- "silo,date|silo,date", provider-formatted
    StartTime    timestamptz  NOT NULL,
    IAmAliveTime timestamptz  NOT NULL,

    CONSTRAINT PK_OrleansMembershipTable PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT FK_OrleansMembershipTable_Version FOREIGN KEY (DeploymentId)
        REFERENCES OrleansMembershipVersionTable (DeploymentId)
);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

-- Create the cluster's version row if missing. Must return exactly one row with one
-- boolean column: true = this call created it.
('InsertMembershipVersionKey', $sql$
WITH created AS (
    INSERT INTO OrleansMembershipVersionTable (DeploymentId, ModifiedAt, Version)
    VALUES (@DeploymentId, now(), 0)
    ON CONFLICT (DeploymentId) DO NOTHING
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM created) AS Created;
$sql$),

-- Add a silo row, only if the cluster version still equals @Version (bumped on success)
-- and the silo row does not exist yet. One row, one boolean: true = inserted.
-- The version row is updated first so concurrent writers serialize on its row lock.
('InsertMembershipKey', $sql$
WITH bumped AS (
    UPDATE OrleansMembershipVersionTable v
       SET Version = v.Version + 1,
           ModifiedAt = now()
     WHERE v.DeploymentId = @DeploymentId
       AND v.Version = @Version
       AND NOT EXISTS (SELECT 1
                         FROM OrleansMembershipTable m
                        WHERE m.DeploymentId = @DeploymentId
                          AND m.Address = @Address
                          AND m.Port = @Port
                          AND m.Generation = @Generation)
    RETURNING v.DeploymentId
), inserted AS (
    INSERT INTO OrleansMembershipTable
        (DeploymentId, Address, Port, Generation, SiloName, HostName,
         Status, ProxyPort, SuspectTimes, StartTime, IAmAliveTime)
    SELECT b.DeploymentId, @Address, @Port, @Generation, COALESCE(@SiloName, ''), COALESCE(@HostName, ''),
           @Status, @ProxyPort, NULL, @StartTime, @IAmAliveTime
      FROM bumped b
    ON CONFLICT DO NOTHING
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM inserted) AS Inserted;
$sql$),

-- Change a silo's status / suspicions, only if the cluster version still equals
-- @Version (bumped on success) and the row exists. One row, one boolean: true = updated.
('UpdateMembershipKey', $sql$
WITH bumped AS (
    UPDATE OrleansMembershipVersionTable v
       SET Version = v.Version + 1,
           ModifiedAt = now()
     WHERE v.DeploymentId = @DeploymentId
       AND v.Version = @Version
       AND EXISTS (SELECT 1
                     FROM OrleansMembershipTable m
                    WHERE m.DeploymentId = @DeploymentId
                      AND m.Address = @Address
                      AND m.Port = @Port
                      AND m.Generation = @Generation)
    RETURNING v.DeploymentId
), updated AS (
    UPDATE OrleansMembershipTable m
       SET Status = @Status,
           SuspectTimes = @SuspectTimes,
           IAmAliveTime = @IAmAliveTime
      FROM bumped b
     WHERE m.DeploymentId = b.DeploymentId
       AND m.Address = @Address
       AND m.Port = @Port
       AND m.Generation = @Generation
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM updated) AS Updated;
$sql$),

-- Heartbeat. Deliberately not versioned: liveness is not a membership change.
('UpdateIAmAlivetimeKey', $sql$
UPDATE OrleansMembershipTable
   SET IAmAliveTime = @IAmAliveTime
 WHERE DeploymentId = @DeploymentId
   AND Address = @Address
   AND Port = @Port
   AND Generation = @Generation;
$sql$),

-- One silo plus the table version. Must return at least one row even when the silo row
-- is absent (the provider takes the version from row 0 and treats a NULL StartTime as
-- "no entry"), hence the LEFT JOIN from the version row.
('MembershipReadRowKey', $sql$
SELECT v.Version, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
       m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime
  FROM OrleansMembershipVersionTable v
  LEFT JOIN OrleansMembershipTable m
         ON m.DeploymentId = v.DeploymentId
        AND m.Address = @Address
        AND m.Port = @Port
        AND m.Generation = @Generation
 WHERE v.DeploymentId = @DeploymentId;
$sql$),

-- All silos plus the table version, same shape and same LEFT JOIN reason as above.
('MembershipReadAllKey', $sql$
SELECT v.Version, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
       m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime
  FROM OrleansMembershipVersionTable v
  LEFT JOIN OrleansMembershipTable m
         ON m.DeploymentId = v.DeploymentId
 WHERE v.DeploymentId = @DeploymentId;
$sql$),

-- Gateways for clients: active silos (@Status = 3) that expose a gateway port.
('GatewaysQueryKey', $sql$
SELECT Address, ProxyPort, Generation
  FROM OrleansMembershipTable
 WHERE DeploymentId = @DeploymentId
   AND Status = @Status
   AND ProxyPort > 0;
$sql$),

-- Remove a whole cluster (tests / decommissioning).
('DeleteMembershipTableEntriesKey', $sql$
DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;
$sql$),

-- Legacy bulk cleanup (only used when CleanupDefunctSiloEntryKey is absent):
-- drop non-active rows whose last heartbeat is older than @IAmAliveTime.
('CleanupDefunctSiloEntriesKey', $sql$
DELETE FROM OrleansMembershipTable
 WHERE DeploymentId = @DeploymentId
   AND IAmAliveTime < @IAmAliveTime
   AND Status <> 3;
$sql$),

-- 10.x per-row cleanup (preferred by the provider when present). The provider reads the
-- table, picks Dead rows that are old enough, and passes back the values it saw; the row
-- is deleted only if it is still Dead (6) and those captured values still match, so a
-- row changed since the read is left alone (compare-and-delete). SuspectTimes NULL and
-- '' are the same thing to the provider, hence the COALESCE.
('CleanupDefunctSiloEntryKey', $sql$
DELETE FROM OrleansMembershipTable
 WHERE DeploymentId = @DeploymentId
   AND Address = @Address
   AND Port = @Port
   AND Generation = @Generation
   AND Status = 6
   AND StartTime = @StartTime
   AND IAmAliveTime = @IAmAliveTime
   AND COALESCE(SuspectTimes, '') = COALESCE(@SuspectTimes, '');
$sql$)

ON CONFLICT (QueryKey) DO UPDATE
    SET QueryText = EXCLUDED.QueryText
  WHERE OrleansQuery.QueryText IS DISTINCT FROM EXCLUDED.QueryText;
