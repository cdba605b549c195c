-- roster sql_trait st_account_members (account), postgres
-- no parameter
-- run it with SET jit = off, as roster does: JIT-compiling its long expressions can take far longer and more memory than the query, and cannot be cancelled
SELECT account_id AS group_id, contact_id AS user_id, tier AS crm_tier
FROM crm.contacts
