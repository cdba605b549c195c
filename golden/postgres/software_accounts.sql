-- roster audience software_accounts (account), postgres
-- Accounts in the Software industry (a custom trait from group calls).
-- parameter as_of: the instant to compute at, as ISO-8601 UTC text, in a session whose time zone is UTC
-- run it with SET jit = off, as roster does: JIT-compiling its long expressions can take far longer and more memory than the query, and cannot be cancelled
WITH
account_trait_industry AS (
  SELECT group_id, (array_agg("industry" ORDER BY "timestamp" DESC NULLS FIRST, (CAST(id AS TEXT) COLLATE "C") DESC NULLS FIRST) FILTER (WHERE "industry" IS NOT NULL))[1] AS value
  FROM "main"."groups"
  WHERE CAST(group_id AS VARCHAR) <> '' AND "timestamp" <= CAST($1 AS TIMESTAMP)
  GROUP BY group_id
)
SELECT entity.group_id
FROM account_trait_industry AS entity
WHERE COALESCE((CAST(entity.value AS TEXT) COLLATE "C") = 'Software', FALSE)
