-- duckdb
"user_id"
-- duckdb
"Weird ""Name"""
-- postgres
"user_id"
-- postgres
"Weird ""Name"""
-- snowflake
"USER_ID"
-- snowflake
"Weird ""Name"""
