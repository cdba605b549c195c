-- roster audience json_audience (user), duckdb
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
WITH
user_trait_plan AS (
  SELECT user_id, first(CASE WHEN (nullif(json_extract(traits, '/plan'), CAST('null' AS JSON)) IS NOT NULL AND (NOT json_type(nullif(json_extract(traits, '/plan'), CAST('null' AS JSON))) IN ('BIGINT', 'UBIGINT', 'HUGEINT', 'DOUBLE') OR CASE WHEN isfinite(TRY_CAST(json_extract_string(nullif(json_extract(traits, '/plan'), CAST('null' AS JSON)), '$') AS DOUBLE)) THEN TRY_CAST(json_extract_string(nullif(json_extract(traits, '/plan'), CAST('null' AS JSON)), '$') AS DOUBLE) END IS NOT NULL)) THEN nullif(json_extract(traits, '/plan'), CAST('null' AS JSON)) END ORDER BY "timestamp" DESC NULLS FIRST, id DESC NULLS FIRST) FILTER (WHERE CASE WHEN (nullif(json_extract(traits, '/plan'), CAST('null' AS JSON)) IS NOT NULL AND (NOT json_type(nullif(json_extract(traits, '/plan'), CAST('null' AS JSON))) IN ('BIGINT', 'UBIGINT', 'HUGEINT', 'DOUBLE') OR CASE WHEN isfinite(TRY_CAST(json_extract_string(nullif(json_extract(traits, '/plan'), CAST('null' AS JSON)), '$') AS DOUBLE)) THEN TRY_CAST(json_extract_string(nullif(json_extract(traits, '/plan'), CAST('null' AS JSON)), '$') AS DOUBLE) END IS NOT NULL)) THEN nullif(json_extract(traits, '/plan'), CAST('null' AS JSON)) END IS NOT NULL) AS value
  FROM (SELECT * FROM "raw"."identifies" AS r QUALIFY id IS NULL OR row_number() OVER (PARTITION BY id ORDER BY "timestamp", CAST(to_json(r) AS VARCHAR)) = 1) AS "identifies"
  WHERE CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($as_of AS TIMESTAMP)
  GROUP BY user_id
),
event_order_completed AS (
  SELECT e.user_id, count(*) AS n
  FROM (
    SELECT e.id, e.user_id, e."timestamp"
    FROM (SELECT * FROM "raw"."events" AS r QUALIFY id IS NULL OR row_number() OVER (PARTITION BY id ORDER BY "timestamp", CAST(to_json(r) AS VARCHAR)) = 1) AS e
    WHERE e.event = 'Order Completed'
      AND CAST(e.user_id AS VARCHAR) <> ''
      AND e."timestamp" <= CAST($as_of AS TIMESTAMP)
      AND COALESCE(CASE WHEN typeof(json_extract_string(e.properties, '/total')) IN ('DOUBLE', 'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT') THEN CASE WHEN isfinite(TRY_CAST(json_extract_string(e.properties, '/total') AS DOUBLE)) THEN TRY_CAST(json_extract_string(e.properties, '/total') AS DOUBLE) END WHEN length(CAST(json_extract_string(e.properties, '/total') AS VARCHAR)) <= 1000 AND regexp_full_match(CAST(json_extract_string(e.properties, '/total') AS VARCHAR), '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \t\n\r\f\v]*$') AND isfinite(TRY_CAST(CAST(json_extract_string(e.properties, '/total') AS VARCHAR) AS DOUBLE)) THEN TRY_CAST(CAST(json_extract_string(e.properties, '/total') AS VARCHAR) AS DOUBLE) END > 10, FALSE)
  ) AS e
  GROUP BY e.user_id
),
user_trait_json_first_user AS (
  SELECT user_id, first(CASE WHEN (nullif(json_extract(traits, '/json_first_user'), CAST('null' AS JSON)) IS NOT NULL AND (NOT json_type(nullif(json_extract(traits, '/json_first_user'), CAST('null' AS JSON))) IN ('BIGINT', 'UBIGINT', 'HUGEINT', 'DOUBLE') OR CASE WHEN isfinite(TRY_CAST(json_extract_string(nullif(json_extract(traits, '/json_first_user'), CAST('null' AS JSON)), '$') AS DOUBLE)) THEN TRY_CAST(json_extract_string(nullif(json_extract(traits, '/json_first_user'), CAST('null' AS JSON)), '$') AS DOUBLE) END IS NOT NULL)) THEN nullif(json_extract(traits, '/json_first_user'), CAST('null' AS JSON)) END ORDER BY "timestamp" DESC NULLS FIRST, id DESC NULLS FIRST) FILTER (WHERE CASE WHEN (nullif(json_extract(traits, '/json_first_user'), CAST('null' AS JSON)) IS NOT NULL AND (NOT json_type(nullif(json_extract(traits, '/json_first_user'), CAST('null' AS JSON))) IN ('BIGINT', 'UBIGINT', 'HUGEINT', 'DOUBLE') OR CASE WHEN isfinite(TRY_CAST(json_extract_string(nullif(json_extract(traits, '/json_first_user'), CAST('null' AS JSON)), '$') AS DOUBLE)) THEN TRY_CAST(json_extract_string(nullif(json_extract(traits, '/json_first_user'), CAST('null' AS JSON)), '$') AS DOUBLE) END IS NOT NULL)) THEN nullif(json_extract(traits, '/json_first_user'), CAST('null' AS JSON)) END IS NOT NULL) AS value
  FROM (SELECT * FROM "raw"."identifies" AS r QUALIFY id IS NULL OR row_number() OVER (PARTITION BY id ORDER BY "timestamp", CAST(to_json(r) AS VARCHAR)) = 1) AS "identifies"
  WHERE CAST(user_id AS VARCHAR) <> '' AND "timestamp" <= CAST($as_of AS TIMESTAMP)
  GROUP BY user_id
)
SELECT entity.user_id
FROM user_trait_plan AS entity
LEFT JOIN event_order_completed AS entity_event_order_completed ON entity_event_order_completed.user_id = entity.user_id
LEFT JOIN user_trait_json_first_user AS entity_user_trait_json_first_user ON entity_user_trait_json_first_user.user_id = entity.user_id
WHERE (COALESCE(CAST(CASE WHEN json_type(entity.value) IN ('BIGINT', 'UBIGINT', 'HUGEINT', 'DOUBLE') THEN CASE WHEN CASE WHEN isfinite(TRY_CAST(json_extract_string(entity.value, '$') AS DOUBLE)) THEN TRY_CAST(json_extract_string(entity.value, '$') AS DOUBLE) END = 0 THEN '0' WHEN isfinite(CASE WHEN isfinite(TRY_CAST(json_extract_string(entity.value, '$') AS DOUBLE)) THEN TRY_CAST(json_extract_string(entity.value, '$') AS DOUBLE) END) THEN regexp_replace(regexp_replace(CAST(to_json(list_transform([CASE WHEN isfinite(TRY_CAST(json_extract_string(entity.value, '$') AS DOUBLE)) THEN TRY_CAST(json_extract_string(entity.value, '$') AS DOUBLE) END], lambda round12_value: CASE WHEN isfinite(round12_value) AND round12_value <> 0 THEN list_transform([printf('%.14e', abs(round12_value))], lambda round12_digits: CAST(CASE WHEN round12_value < 0 THEN '-' ELSE '' END || CAST(CASE WHEN substr(round12_digits, 14, 3) = '500' AND abs(round12_value) < CAST(round12_digits AS DOUBLE) THEN trunc(CAST(split_part(round12_digits, 'e', 1) AS DECIMAL(16, 14)), 11) ELSE round(CAST(split_part(round12_digits, 'e', 1) AS DECIMAL(16, 14)), 11) END AS VARCHAR) || 'e' || split_part(round12_digits, 'e', 2) AS DOUBLE))[1] ELSE round12_value END)[1]) AS VARCHAR), '\.0$', ''), 'e([0-9])', 'e+\1') END WHEN json_type(entity.value) IN ('OBJECT', 'ARRAY') THEN NULL ELSE json_extract_string(entity.value, '$') END AS VARCHAR) = 'pro', FALSE)
  AND (COALESCE(entity_event_order_completed.n, 0) >= 2)
  AND (json_extract_string(entity_user_trait_json_first_user.value, '$') IS NOT NULL))
