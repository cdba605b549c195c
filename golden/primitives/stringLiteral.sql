-- duckdb
'O''Brien'
-- duckdb
'back\slash'
-- duckdb
('line1' || chr(10) || 'line2')
-- postgres
'O''Brien'
-- postgres
'back\slash'
-- postgres
('line1' || chr(10) || 'line2')
-- snowflake
'O''Brien'
-- snowflake
'back\\slash'
-- snowflake
('line1' || chr(10) || 'line2')
