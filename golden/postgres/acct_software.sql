-- roster audience acct_software (account), postgres
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- reads the results of: ct_event_counter_account, st_account_members (in a run, that run's; run alone, the last committed ones in the state schema)
-- run it with SET jit = off, as roster does: JIT-compiling its long expressions can take far longer and more memory than the query, and cannot be cancelled
WITH
account_trait_industry AS (
  SELECT group_id, (array_agg("industry" ORDER BY "timestamp" DESC NULLS FIRST, (CAST(id AS TEXT) COLLATE "C") DESC NULLS FIRST) FILTER (WHERE "industry" IS NOT NULL))[1] AS value
  FROM "main"."groups"
  WHERE CAST(group_id AS VARCHAR) <> '' AND "timestamp" <= CAST($1 AS TIMESTAMP)
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
WHERE (COALESCE((CAST(entity.value AS TEXT) COLLATE "C") = 'Software', FALSE)
  AND COALESCE(COALESCE(entity_ct_event_counter_account."ct_event_counter_account", 0) < 10, FALSE)
  AND COALESCE((CAST(CASE WHEN pg_typeof(entity_st_account_members."crm_tier") IN (CAST('timestamp without time zone' AS REGTYPE), CAST('timestamp with time zone' AS REGTYPE), CAST('date' AS REGTYPE)) THEN to_char(CASE WHEN isfinite(CAST(CAST(entity_st_account_members."crm_tier" AS TEXT) AS TIMESTAMP WITH TIME ZONE)) AND extract(year FROM CAST(CAST(entity_st_account_members."crm_tier" AS TEXT) AS TIMESTAMP WITH TIME ZONE)) BETWEEN 1 AND 9999 THEN CAST(CAST(entity_st_account_members."crm_tier" AS TEXT) AS TIMESTAMP WITH TIME ZONE) END AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') ELSE CAST(entity_st_account_members."crm_tier" AS TEXT) END AS TEXT) COLLATE "C") IN ('gold', 'silver'), FALSE))
