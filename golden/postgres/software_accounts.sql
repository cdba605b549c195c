-- roster audience software_accounts (account), postgres
-- Accounts in the Software industry (a custom trait from group calls).
-- parameter as_of: the run's instant (UTC)
-- reads this run's results of: active_users_30d
WITH
account_trait_industry AS (
  SELECT group_id, (array_agg("industry" ORDER BY "timestamp" DESC, id DESC) FILTER (WHERE "industry" IS NOT NULL))[1] AS value
  FROM "main"."groups"
  WHERE group_id IS NOT NULL AND "timestamp" <= CAST($1 AS TIMESTAMP)
  GROUP BY group_id
),
all_accounts AS (
  SELECT DISTINCT group_id FROM "main"."groups" WHERE group_id IS NOT NULL AND "timestamp" <= CAST($1 AS TIMESTAMP)
  UNION
  SELECT DISTINCT group_id FROM "roster"."active_users_30d"
)
SELECT entity.group_id
FROM all_accounts AS entity
LEFT JOIN account_trait_industry AS entity_account_trait_industry ON entity_account_trait_industry.group_id = entity.group_id
WHERE COALESCE((CAST(entity_account_trait_industry.value AS TEXT) COLLATE "C") = 'Software', FALSE)
