-- duckdb
list_contains(l, 'a')
-- postgres
('a' = ANY(l))
-- snowflake
ARRAY_CONTAINS(TO_VARIANT('a'), l)
