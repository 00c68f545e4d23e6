-- 001_orleans_main.sql
-- The Orleans ADO.NET providers (clustering, persistence, reminders) contain no SQL
-- of their own: at start-up each one runs the hard-coded statement
--     SELECT QueryKey, QueryText FROM OrleansQuery
-- and afterwards executes only the query texts it finds here, under fixed keys.
-- The later files (002..004) add their tables and upsert their queries into this one.
--
-- Identifiers are deliberately unquoted: PostgreSQL folds them to lower case, which is
-- what the providers' unquoted hard-coded statement resolves to, and Npgsql matches
-- result column names case-insensitively (the providers read e.g. "QueryKey", "Version").
--
-- Idempotent: safe to run any number of times.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL,
    QueryText text        NOT NULL,

    CONSTRAINT PK_OrleansQuery PRIMARY KEY (QueryKey)
);
