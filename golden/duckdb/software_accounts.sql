-- roster audience software_accounts (account), duckdb
-- Accounts in the Software industry (a custom trait from group calls).
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
WITH
account_trait_industry AS (
  SELECT group_id, first("industry" ORDER BY "timestamp" DESC NULLS FIRST, id DESC NULLS FIRST) FILTER (WHERE "industry" IS NOT NULL) AS value
  FROM "main"."groups"
  WHERE CAST(group_id AS VARCHAR) <> '' AND "timestamp" <= CAST($as_of AS TIMESTAMP)
  GROUP BY group_id
)
SELECT entity.group_id
FROM account_trait_industry AS entity
WHERE COALESCE(CAST(entity.value AS VARCHAR) = 'Software', FALSE)
