-- roster audience acct_software (account), snowflake
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- reads the results of: ct_event_counter_account, st_account_members (in a run, that run's; run alone, the last committed ones in the state schema)
WITH
account_trait_industry AS (
  SELECT group_id, ARRAY_AGG("INDUSTRY") WITHIN GROUP (ORDER BY "TIMESTAMP" DESC NULLS FIRST, id DESC NULLS FIRST)[0] AS value
  FROM "MAIN"."GROUPS"
  WHERE CAST(group_id AS VARCHAR) <> '' AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  GROUP BY group_id
),
sql_st_account_members AS (
  SELECT DISTINCT group_id, "CRM_TIER"
  FROM "ROSTER"."ST_ACCOUNT_MEMBERS"
)
SELECT entity.group_id
FROM account_trait_industry AS entity
LEFT JOIN "ROSTER"."CT_EVENT_COUNTER_ACCOUNT" AS entity_ct_event_counter_account ON entity_ct_event_counter_account.group_id = entity.group_id
LEFT JOIN sql_st_account_members AS entity_st_account_members ON entity_st_account_members.group_id = entity.group_id
WHERE (COALESCE(CAST(entity.value AS VARCHAR) = 'Software', FALSE)
  AND COALESCE(COALESCE(entity_ct_event_counter_account."CT_EVENT_COUNTER_ACCOUNT", 0) < 10, FALSE)
  AND COALESCE(CAST(CASE WHEN IS_TIMESTAMP_NTZ(TO_VARIANT(entity_st_account_members."CRM_TIER")) OR IS_TIMESTAMP_LTZ(TO_VARIANT(entity_st_account_members."CRM_TIER")) OR IS_TIMESTAMP_TZ(TO_VARIANT(entity_st_account_members."CRM_TIER")) OR IS_DATE(TO_VARIANT(entity_st_account_members."CRM_TIER")) THEN TO_CHAR(CAST(CONVERT_TIMEZONE('UTC', CAST(CASE WHEN YEAR(TRY_TO_TIMESTAMP_TZ(CAST(entity_st_account_members."CRM_TIER" AS VARCHAR))) BETWEEN 1 AND 9999 THEN TRY_TO_TIMESTAMP_TZ(CAST(entity_st_account_members."CRM_TIER" AS VARCHAR)) END AS TIMESTAMP_TZ)) AS TIMESTAMP_NTZ), 'YYYY-MM-DD"T"HH24:MI:SS.FF3"Z"') ELSE CAST(entity_st_account_members."CRM_TIER" AS VARCHAR) END AS VARCHAR) IN ('gold', 'silver'), FALSE))
