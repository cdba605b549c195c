-- roster computed_trait ct_aggregation_min (user), duckdb
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
WITH
matching_events AS (
  SELECT e.id, e.user_id, e."timestamp", e."total" AS value
  FROM "main"."order_completed" AS e
  WHERE e.event_text = 'Order Completed'
    AND CAST(e.user_id AS VARCHAR) <> ''
    AND e."timestamp" <= CAST($as_of AS TIMESTAMP)
    AND COALESCE(CAST(e."currency" AS VARCHAR) IN ('USD', 'EUR'), FALSE)
),
entity_values AS (
  SELECT e.user_id AS user_id, min(CASE WHEN typeof(e.value) IN ('DOUBLE', 'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT') THEN CASE WHEN isfinite(TRY_CAST(e.value AS DOUBLE)) THEN TRY_CAST(e.value AS DOUBLE) END WHEN length(CAST(e.value AS VARCHAR)) <= 1000 AND regexp_full_match(CAST(e.value AS VARCHAR), '^[ \t\n\r\f\v]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?0*[0-9]{1,4})?[ \t\n\r\f\v]*$') AND isfinite(TRY_CAST(CAST(e.value AS VARCHAR) AS DOUBLE)) THEN TRY_CAST(CAST(e.value AS VARCHAR) AS DOUBLE) END) AS value
  FROM matching_events AS e
  GROUP BY e.user_id
)
SELECT user_id, list_transform([value], lambda round12_value: CASE WHEN isfinite(round12_value) AND round12_value <> 0 THEN list_transform([printf('%.14e', abs(round12_value))], lambda round12_digits: CAST(CASE WHEN round12_value < 0 THEN '-' ELSE '' END || CAST(CASE WHEN substr(round12_digits, 14, 3) = '500' AND abs(round12_value) < CAST(round12_digits AS DOUBLE) THEN trunc(CAST(split_part(round12_digits, 'e', 1) AS DECIMAL(16, 14)), 11) ELSE round(CAST(split_part(round12_digits, 'e', 1) AS DECIMAL(16, 14)), 11) END AS VARCHAR) || 'e' || split_part(round12_digits, 'e', 2) AS DOUBLE))[1] ELSE round12_value END)[1] AS "ct_aggregation_min"
FROM entity_values
WHERE value IS NOT NULL
