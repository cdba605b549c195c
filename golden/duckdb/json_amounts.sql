-- roster computed_trait json_amounts (user), duckdb
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
WITH
matching_events AS (
  SELECT e.id, e.user_id, e."timestamp", CASE WHEN json_type(nullif(json_extract(e.properties, '/amount'), CAST('null' AS JSON))) IN ('BIGINT', 'UBIGINT', 'HUGEINT', 'DOUBLE') THEN CASE WHEN CASE WHEN isfinite(TRY_CAST(json_extract_string(nullif(json_extract(e.properties, '/amount'), CAST('null' AS JSON)), '$') AS DOUBLE)) THEN TRY_CAST(json_extract_string(nullif(json_extract(e.properties, '/amount'), CAST('null' AS JSON)), '$') AS DOUBLE) END = 0 THEN '0' WHEN isfinite(CASE WHEN isfinite(TRY_CAST(json_extract_string(nullif(json_extract(e.properties, '/amount'), CAST('null' AS JSON)), '$') AS DOUBLE)) THEN TRY_CAST(json_extract_string(nullif(json_extract(e.properties, '/amount'), CAST('null' AS JSON)), '$') AS DOUBLE) END) THEN regexp_replace(regexp_replace(CAST(to_json(CASE WHEN isfinite(CASE WHEN isfinite(TRY_CAST(json_extract_string(nullif(json_extract(e.properties, '/amount'), CAST('null' AS JSON)), '$') AS DOUBLE)) THEN TRY_CAST(json_extract_string(nullif(json_extract(e.properties, '/amount'), CAST('null' AS JSON)), '$') AS DOUBLE) END) AND CASE WHEN isfinite(TRY_CAST(json_extract_string(nullif(json_extract(e.properties, '/amount'), CAST('null' AS JSON)), '$') AS DOUBLE)) THEN TRY_CAST(json_extract_string(nullif(json_extract(e.properties, '/amount'), CAST('null' AS JSON)), '$') AS DOUBLE) END <> 0 THEN CAST(CAST(round(CAST(split_part(printf('%.14e', CASE WHEN isfinite(TRY_CAST(json_extract_string(nullif(json_extract(e.properties, '/amount'), CAST('null' AS JSON)), '$') AS DOUBLE)) THEN TRY_CAST(json_extract_string(nullif(json_extract(e.properties, '/amount'), CAST('null' AS JSON)), '$') AS DOUBLE) END), 'e', 1) AS DECIMAL(16, 14)), 11) AS VARCHAR) || 'e' || split_part(printf('%.14e', CASE WHEN isfinite(TRY_CAST(json_extract_string(nullif(json_extract(e.properties, '/amount'), CAST('null' AS JSON)), '$') AS DOUBLE)) THEN TRY_CAST(json_extract_string(nullif(json_extract(e.properties, '/amount'), CAST('null' AS JSON)), '$') AS DOUBLE) END), 'e', 2) AS DOUBLE) ELSE CASE WHEN isfinite(TRY_CAST(json_extract_string(nullif(json_extract(e.properties, '/amount'), CAST('null' AS JSON)), '$') AS DOUBLE)) THEN TRY_CAST(json_extract_string(nullif(json_extract(e.properties, '/amount'), CAST('null' AS JSON)), '$') AS DOUBLE) END END) AS VARCHAR), '\.0$', ''), 'e([0-9])', 'e+\1') END WHEN json_type(nullif(json_extract(e.properties, '/amount'), CAST('null' AS JSON))) IN ('OBJECT', 'ARRAY') THEN NULL ELSE json_extract_string(nullif(json_extract(e.properties, '/amount'), CAST('null' AS JSON)), '$') END AS value
  FROM (SELECT * FROM "raw"."events" AS r QUALIFY id IS NULL OR row_number() OVER (PARTITION BY id ORDER BY "timestamp", CAST(to_json(r) AS VARCHAR)) = 1) AS e
  WHERE e.event = 'Order Completed'
    AND CAST(e.user_id AS VARCHAR) <> ''
    AND e."timestamp" <= CAST($as_of AS TIMESTAMP)
),
entity_values AS (
  SELECT e.user_id AS user_id, list(DISTINCT CAST(e.value AS VARCHAR) ORDER BY CAST(e.value AS VARCHAR)) FILTER (WHERE e.value IS NOT NULL) AS value
  FROM matching_events AS e
  GROUP BY e.user_id
)
SELECT user_id, value AS "json_amounts"
FROM entity_values
WHERE value IS NOT NULL
