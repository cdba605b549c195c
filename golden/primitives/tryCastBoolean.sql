-- duckdb
CASE lower(CAST(x AS VARCHAR)) WHEN 'true' THEN TRUE WHEN 'false' THEN FALSE END
-- postgres
CASE lower((CAST(x AS TEXT) COLLATE "C")) WHEN 'true' THEN TRUE WHEN 'false' THEN FALSE END
-- snowflake
CASE lower(CAST(x AS VARCHAR)) WHEN 'true' THEN TRUE WHEN 'false' THEN FALSE END
