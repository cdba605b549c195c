-- roster audience passthrough (user), snowflake
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- reads the results of: acct_software, st_account_members (in a run, that run's; run alone, the last committed ones in the state schema)
WITH
account_users AS (
  SELECT DISTINCT group_id, user_id FROM "MAIN"."GROUPS"
  WHERE CAST(group_id AS VARCHAR) <> '' AND CAST(user_id AS VARCHAR) <> '' AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  UNION
  SELECT DISTINCT group_id, user_id FROM "ROSTER"."ST_ACCOUNT_MEMBERS" WHERE CAST(user_id AS VARCHAR) <> ''
),
users_of_acct_software AS (
  SELECT DISTINCT au.user_id
  FROM account_users AS au
  JOIN "ROSTER"."ACCT_SOFTWARE" AS m ON m.group_id = au.group_id
),
user_trait_role AS (
  SELECT user_id, ARRAY_AGG("ROLE") WITHIN GROUP (ORDER BY "TIMESTAMP" DESC NULLS FIRST, id DESC NULLS FIRST)[0] AS value
  FROM "MAIN"."IDENTIFIES"
  WHERE CAST(user_id AS VARCHAR) <> '' AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  GROUP BY user_id
)
SELECT entity.user_id
FROM user_trait_role AS entity
LEFT JOIN users_of_acct_software AS entity_users_of_acct_software ON entity_users_of_acct_software.user_id = entity.user_id
WHERE ((entity_users_of_acct_software.user_id IS NOT NULL)
  AND COALESCE(CAST(entity.value AS VARCHAR) = 'admin', FALSE))
