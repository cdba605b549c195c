-- duckdb
"main"."tracks"
-- postgres
"main"."tracks"
-- snowflake
"MAIN"."TRACKS"
