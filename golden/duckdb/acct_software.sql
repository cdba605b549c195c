-- roster audience acct_software (account), duckdb
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- reads the results of: ct_event_counter_account, st_account_members (in a run, that run's; run alone, the last committed ones in the state schema)
WITH
account_trait_industry AS (
  SELECT group_id, first("industry" ORDER BY "timestamp" DESC NULLS FIRST, id DESC NULLS FIRST) FILTER (WHERE "industry" IS NOT NULL) AS value
  FROM "main"."groups"
  WHERE CAST(group_id AS VARCHAR) <> '' AND "timestamp" <= CAST($as_of AS TIMESTAMP)
  GROUP BY group_id
),
sql_st_account_members AS (
  SELECT DISTINCT group_id, "crm_tier"
  FROM "roster"."st_account_members"
)
SELECT entity.group_id
FROM account_trait_industry AS entity
LEFT JOIN "roster"."ct_event_counter_account" AS entity_ct_event_counter_account ON entity_ct_event_counter_account.group_id = entity.group_id
LEFT JOIN sql_st_account_members AS entity_st_account_members ON entity_st_account_members.group_id = entity.group_id
WHERE (COALESCE(CAST(entity.value AS VARCHAR) = 'Software', FALSE)
  AND COALESCE(COALESCE(entity_ct_event_counter_account."ct_event_counter_account", 0) < 10, FALSE)
  AND COALESCE(CAST(CASE WHEN typeof(entity_st_account_members."crm_tier") IN ('DOUBLE', 'FLOAT') THEN regexp_replace(CAST(entity_st_account_members."crm_tier" AS VARCHAR), '\.0$', '') WHEN typeof(entity_st_account_members."crm_tier") LIKE 'TIMESTAMP%' OR typeof(entity_st_account_members."crm_tier") = 'DATE' THEN strftime(CAST(CASE WHEN isfinite(TRY_CAST(CAST(entity_st_account_members."crm_tier" AS VARCHAR) AS TIMESTAMPTZ)) AND year(TRY_CAST(CAST(entity_st_account_members."crm_tier" AS VARCHAR) AS TIMESTAMPTZ)) BETWEEN 1 AND 9999 THEN TRY_CAST(CAST(entity_st_account_members."crm_tier" AS VARCHAR) AS TIMESTAMPTZ) END AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S.%gZ') ELSE CAST(entity_st_account_members."crm_tier" AS VARCHAR) END AS VARCHAR) IN ('gold', 'silver'), FALSE))
