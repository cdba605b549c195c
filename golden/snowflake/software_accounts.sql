-- roster audience software_accounts (account), snowflake
-- Accounts in the Software industry (a custom trait from group calls).
-- parameter as_of: the run's instant (UTC)
-- reads this run's results of: active_users_30d
WITH
account_trait_industry AS (
  SELECT group_id, ARRAY_AGG("INDUSTRY") WITHIN GROUP (ORDER BY "TIMESTAMP" DESC, id DESC)[0] AS value
  FROM "MAIN"."GROUPS"
  WHERE group_id IS NOT NULL AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  GROUP BY group_id
),
all_accounts AS (
  SELECT DISTINCT group_id FROM "MAIN"."GROUPS" WHERE group_id IS NOT NULL AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  UNION
  SELECT DISTINCT group_id FROM "ROSTER"."ACTIVE_USERS_30D"
)
SELECT entity.group_id
FROM all_accounts AS entity
LEFT JOIN account_trait_industry AS entity_account_trait_industry ON entity_account_trait_industry.group_id = entity.group_id
WHERE COALESCE(CAST(entity_account_trait_industry.value AS VARCHAR) = 'Software', FALSE)
