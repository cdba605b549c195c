-- duckdb
date_trunc('milliseconds', ts)
-- postgres
date_trunc('milliseconds', ts)
-- snowflake
date_trunc('milliseconds', ts)
