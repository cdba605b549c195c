-- duckdb
hash(hash("user_id", "plan"))
-- duckdb
hash(hash("user_id"))
-- postgres
hashtextextended(CAST(ROW("user_id", "plan") AS TEXT), 0)
-- postgres
hashtextextended(CAST(ROW("user_id") AS TEXT), 0)
-- snowflake
HASH("user_id", "plan")
-- snowflake
HASH("user_id")
