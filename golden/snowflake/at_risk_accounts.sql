-- roster audience at_risk_accounts (account), snowflake
-- Paying accounts that barely log in any more; the CSM team calls them first.
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- reads the results of: logins_past_30_days (in a run, that run's; run alone, the last committed ones in the state schema)
WITH
account_trait_plan AS (
  SELECT group_id, ARRAY_AGG("PLAN") WITHIN GROUP (ORDER BY "TIMESTAMP" DESC NULLS FIRST, id DESC NULLS FIRST)[0] AS value
  FROM "MAIN"."GROUPS"
  WHERE CAST(group_id AS VARCHAR) <> '' AND "TIMESTAMP" <= CAST(:1 AS TIMESTAMP_NTZ)
  GROUP BY group_id
)
SELECT entity.group_id
FROM account_trait_plan AS entity
LEFT JOIN "ROSTER"."LOGINS_PAST_30_DAYS" AS entity_logins_past_30_days ON entity_logins_past_30_days.group_id = entity.group_id
WHERE (COALESCE(COALESCE(entity_logins_past_30_days."LOGINS_PAST_30_DAYS", 0) < 10, FALSE)
  AND COALESCE(CAST(entity.value AS VARCHAR) IN ('pro', 'enterprise'), FALSE))
