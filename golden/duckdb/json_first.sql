-- roster computed_trait json_first (account), duckdb
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
WITH
matching_events AS (
  SELECT e.id, e.user_id, e."timestamp", CASE WHEN json_type(nullif(json_extract(e.properties, '/path~1with~0odd''chars'), CAST('null' AS JSON))) IN ('BIGINT', 'UBIGINT', 'HUGEINT', 'DOUBLE') THEN to_json(CASE WHEN CASE WHEN isfinite(TRY_CAST(json_extract_string(nullif(json_extract(e.properties, '/path~1with~0odd''chars'), CAST('null' AS JSON)), '$') AS DOUBLE)) THEN TRY_CAST(json_extract_string(nullif(json_extract(e.properties, '/path~1with~0odd''chars'), CAST('null' AS JSON)), '$') AS DOUBLE) END = 0 THEN CAST(0 AS DOUBLE) ELSE list_transform([CASE WHEN isfinite(TRY_CAST(json_extract_string(nullif(json_extract(e.properties, '/path~1with~0odd''chars'), CAST('null' AS JSON)), '$') AS DOUBLE)) THEN TRY_CAST(json_extract_string(nullif(json_extract(e.properties, '/path~1with~0odd''chars'), CAST('null' AS JSON)), '$') AS DOUBLE) END], lambda round12_value: CASE WHEN isfinite(round12_value) AND round12_value <> 0 THEN list_transform([printf('%.14e', abs(round12_value))], lambda round12_digits: CAST(CASE WHEN round12_value < 0 THEN '-' ELSE '' END || CAST(CASE WHEN substr(round12_digits, 14, 3) = '500' AND abs(round12_value) < CAST(round12_digits AS DOUBLE) THEN trunc(CAST(split_part(round12_digits, 'e', 1) AS DECIMAL(16, 14)), 11) ELSE round(CAST(split_part(round12_digits, 'e', 1) AS DECIMAL(16, 14)), 11) END AS VARCHAR) || 'e' || split_part(round12_digits, 'e', 2) AS DOUBLE))[1] ELSE round12_value END)[1] END) ELSE nullif(json_extract(e.properties, '/path~1with~0odd''chars'), CAST('null' AS JSON)) END AS value
  FROM (SELECT * FROM "raw"."events" AS r QUALIFY id IS NULL OR row_number() OVER (PARTITION BY id ORDER BY "timestamp", CAST(to_json(r) AS VARCHAR)) = 1) AS e
  WHERE e.event = 'Page Viewed'
    AND CAST(e.user_id AS VARCHAR) <> ''
    AND e."timestamp" <= CAST($as_of AS TIMESTAMP)
),
account_users AS (
  SELECT DISTINCT group_id, user_id FROM (SELECT * FROM "raw"."groups" AS r QUALIFY id IS NULL OR row_number() OVER (PARTITION BY id ORDER BY "timestamp", CAST(to_json(r) AS VARCHAR)) = 1) AS "groups"
  WHERE CAST(group_id AS VARCHAR) <> '' AND CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($as_of AS TIMESTAMP)
),
entity_values AS (
  SELECT au.group_id AS group_id, first(e.value ORDER BY e."timestamp", e.id) FILTER (WHERE e.value IS NOT NULL) AS value
  FROM matching_events AS e
  JOIN account_users AS au ON au.user_id = e.user_id
  GROUP BY au.group_id
)
SELECT group_id, value AS "json_first"
FROM entity_values
WHERE value IS NOT NULL
