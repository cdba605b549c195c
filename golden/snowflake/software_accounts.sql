-- roster audience software_accounts (account), snowflake
-- Accounts in the Software industry (a custom trait from group calls).
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
WITH
account_trait_industry AS (
  SELECT group_id, ARRAY_AGG("INDUSTRY") WITHIN GROUP (ORDER BY "TIMESTAMP" DESC NULLS FIRST, id DESC NULLS FIRST)[0] AS value
  FROM "MAIN"."GROUPS"
  WHERE CAST(group_id AS VARCHAR) <> '' AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  GROUP BY group_id
)
SELECT entity.group_id
FROM account_trait_industry AS entity
WHERE COALESCE(CAST(entity.value AS VARCHAR) = 'Software', FALSE)
