-- roster sql_trait st_account_members (account), duckdb
-- no parameter
SELECT account_id AS group_id, contact_id AS user_id, tier AS crm_tier
FROM crm.contacts
