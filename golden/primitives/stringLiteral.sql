-- duckdb
'O''Brien'
-- duckdb
'back\slash'
-- duckdb
replace('line1~line2', '~', chr(10))
-- postgres
'O''Brien'
-- postgres
'back\slash'
-- postgres
replace('line1~line2', '~', chr(10))
-- snowflake
'O''Brien'
-- snowflake
'back\\slash'
-- snowflake
replace('line1~line2', '~', chr(10))
