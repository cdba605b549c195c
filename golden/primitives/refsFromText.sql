-- duckdb
(SELECT CAST(unnest(string_split($refs, ',')) AS BIGINT) AS ref)
-- postgres
(SELECT unnest(CAST(string_to_array($1, ',') AS BIGINT[])) AS ref)
-- snowflake
(SELECT CAST(s.value AS BIGINT) AS ref FROM TABLE(SPLIT_TO_TABLE(:1, ',')) AS s)
