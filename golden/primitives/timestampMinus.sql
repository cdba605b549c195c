-- duckdb
ts - INTERVAL 30 DAY
-- duckdb
ts - INTERVAL 90 MINUTE
-- postgres
ts - INTERVAL '30 days'
-- postgres
ts - INTERVAL '90 minutes'
-- snowflake
DATEADD(day, -30, ts)
-- snowflake
DATEADD(minute, -90, ts)
