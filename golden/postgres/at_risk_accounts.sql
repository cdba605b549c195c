-- roster audience at_risk_accounts (account), postgres
-- Paying accounts that barely log in any more; the CSM team calls them first.
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- reads the results of: logins_past_30_days (in a run, that run's; run alone, the last committed ones in the state schema)
-- run it with SET jit = off, as roster does: JIT-compiling its long expressions can take far longer and more memory than the query, and cannot be cancelled
WITH
account_trait_plan AS (
  SELECT group_id, (array_agg("plan" ORDER BY "timestamp" DESC NULLS FIRST, (CAST(id AS TEXT) COLLATE "C") DESC NULLS FIRST) FILTER (WHERE "plan" IS NOT NULL))[1] AS value
  FROM "main"."groups"
  WHERE CAST(group_id AS VARCHAR) <> '' AND "timestamp" <= CAST($1 AS TIMESTAMP)
  GROUP BY group_id
)
SELECT entity.group_id
FROM account_trait_plan AS entity
LEFT JOIN "roster"."logins_past_30_days" AS entity_logins_past_30_days ON entity_logins_past_30_days.group_id = entity.group_id
WHERE (COALESCE(COALESCE(entity_logins_past_30_days."logins_past_30_days", 0) < 10, FALSE)
  AND COALESCE((CAST(entity.value AS TEXT) COLLATE "C") IN ('pro', 'enterprise'), FALSE))
