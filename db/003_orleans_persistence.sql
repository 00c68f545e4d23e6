-- 003_orleans_persistence.sql
-- Table and queries for Microsoft.Orleans.Persistence.AdoNet (grain state).
-- Requires 001_orleans_main.sql. Idempotent.
--
-- What the provider passes for every call (Npgsql types):
--   @GrainIdHash, @GrainTypeHash : integer  (32-bit hashes; they can collide)
--   @GrainIdN0, @GrainIdN1      : bigint   (GUID halves / integer key; 0 for string keys)
--   @GrainIdExtensionString     : text, NULL for integer/GUID keys without extension;
--                                 the whole key for string-keyed grains
--   @GrainTypeString            : text, the *state name* from [PersistentState("name")]
--                                 (not the grain class, see README)
--   @ServiceId                  : text
--   @GrainStateVersion          : integer, NULL when the grain has no ETag yet
--   @PayloadBinary              : bytea (write only)
-- The ETag the grain sees is Version as a string.

CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash            integer     NOT NULL,
    GrainIdN0              bigint      NOT NULL,
    GrainIdN1              bigint      NOT NULL,
    GrainTypeHash          integer     NOT NULL,
    GrainTypeString        text        NOT NULL,
    GrainIdExtensionString text        NULL,
    ServiceId              text        NOT NULL,
    PayloadBinary          bytea       NULL,      -- NULL = state cleared, row kept for its version
    ModifiedOn             timestamptz NOT NULL DEFAULT now(),
    Version                integer     NOT NULL,

    -- The identity of a state row is the full set of key values, not the hashes: two
    -- grains whose hashes collide are still two rows. The hashes lead the index only to
    -- make it selective. NULLS NOT DISTINCT (PostgreSQL 15+) so that a NULL extension is
    -- one key value, which also makes the first-write INSERT ... ON CONFLICT race-safe.
    -- (Index entries are limited to ~2.7 kB, so keys are expected to be short.)
    CONSTRAINT UQ_OrleansStorage_Grain UNIQUE NULLS NOT DISTINCT
        (GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, ServiceId, GrainTypeString, GrainIdExtensionString)
);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

-- Read: at most one row; PayloadBinary NULL means "no state" (cleared or never written),
-- Version (NULL when no row) becomes the ETag.
('ReadFromStorageKey', $sql$
SELECT PayloadBinary, Version
  FROM OrleansStorage
 WHERE GrainIdHash = @GrainIdHash
   AND GrainTypeHash = @GrainTypeHash
   AND GrainIdN0 = @GrainIdN0
   AND GrainIdN1 = @GrainIdN1
   AND ServiceId = @ServiceId
   AND GrainTypeString = @GrainTypeString
   AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString;
$sql$),

-- Write with optimistic concurrency. Returns column NewGrainStateVersion:
--   * @GrainStateVersion IS NULL (first write): insert with Version 1; if the row
--     already exists, nothing is inserted and NO row is returned.
--   * otherwise: update only if the stored Version equals @GrainStateVersion, bump it,
--     return the new Version; on mismatch NO row is returned.
-- The provider turns "no row" into InconsistentStateException (stale ETag).
('WriteToStorageKey', $sql$
WITH updated AS (
    UPDATE OrleansStorage
       SET PayloadBinary = @PayloadBinary,
           Version = Version + 1,
           ModifiedOn = now()
     WHERE @GrainStateVersion IS NOT NULL
       AND GrainIdHash = @GrainIdHash
       AND GrainTypeHash = @GrainTypeHash
       AND GrainIdN0 = @GrainIdN0
       AND GrainIdN1 = @GrainIdN1
       AND ServiceId = @ServiceId
       AND GrainTypeString = @GrainTypeString
       AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
       AND Version = @GrainStateVersion
    RETURNING Version
), inserted AS (
    INSERT INTO OrleansStorage
        (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
         GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
    SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
           @GrainIdExtensionString, @ServiceId, @PayloadBinary, now(), 1
     WHERE @GrainStateVersion IS NULL
    ON CONFLICT DO NOTHING
    RETURNING Version
)
SELECT Version AS NewGrainStateVersion FROM updated
UNION ALL
SELECT Version FROM inserted;
$sql$),

-- Clear (DeleteStateOnClear = false, the default): keep the row, drop the payload and
-- bump the version, so the grain keeps a valid ETag for its next write.
-- Returns the new Version; NO row on version mismatch (-> InconsistentStateException).
('ClearStorageKey', $sql$
UPDATE OrleansStorage
   SET PayloadBinary = NULL,
       Version = Version + 1,
       ModifiedOn = now()
 WHERE GrainIdHash = @GrainIdHash
   AND GrainTypeHash = @GrainTypeHash
   AND GrainIdN0 = @GrainIdN0
   AND GrainIdN1 = @GrainIdN1
   AND ServiceId = @ServiceId
   AND GrainTypeString = @GrainTypeString
   AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
   AND Version = @GrainStateVersion
RETURNING Version AS NewGrainStateVersion;
$sql$),

-- Clear with DeleteStateOnClear = true: remove the row if the version matches.
-- The provider compares the returned value with the grain's ETag and treats "equal",
-- "empty" or "no row" as a conflict, so a successful delete must return a non-NULL
-- value different from @GrainStateVersion: the would-be next version. The provider
-- then resets the ETag to null, and the next write inserts a fresh row.
('DeleteStorageKey', $sql$
DELETE FROM OrleansStorage
 WHERE GrainIdHash = @GrainIdHash
   AND GrainTypeHash = @GrainTypeHash
   AND GrainIdN0 = @GrainIdN0
   AND GrainIdN1 = @GrainIdN1
   AND ServiceId = @ServiceId
   AND GrainTypeString = @GrainTypeString
   AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
   AND Version = @GrainStateVersion
RETURNING Version + 1 AS NewGrainStateVersion;
$sql$)

ON CONFLICT (QueryKey) DO UPDATE
    SET QueryText = EXCLUDED.QueryText
  WHERE OrleansQuery.QueryText IS DISTINCT FROM EXCLUDED.QueryText;
