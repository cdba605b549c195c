-- duckdb
"user_id"
-- duckdb
"Weird ""Name"""
-- duckdb
"_members_kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"
-- postgres
"user_id"
-- postgres
"Weird ""Name"""
-- postgres
"_members_kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk_65e1669e"
-- snowflake
"USER_ID"
-- snowflake
"Weird ""Name"""
-- snowflake
"_MEMBERS_KKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKK"
