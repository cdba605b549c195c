-- duckdb
CREATE SCHEMA IF NOT EXISTS "roster"
-- postgres
DO $roster$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'roster') THEN CREATE SCHEMA "roster"; END IF; END $roster$
-- snowflake
CREATE SCHEMA IF NOT EXISTS "ROSTER"
