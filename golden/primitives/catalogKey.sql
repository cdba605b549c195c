-- duckdb
feature_used -> feature_used
-- duckdb
FEATURE_USED -> feature_used
-- duckdb
Feature_Used -> feature_used
-- duckdb
my-table -> my-table
-- postgres
feature_used -> feature_used
-- postgres
FEATURE_USED -> FEATURE_USED
-- postgres
Feature_Used -> Feature_Used
-- postgres
my-table -> my-table
-- snowflake
feature_used -> undefined
-- snowflake
FEATURE_USED -> feature_used
-- snowflake
Feature_Used -> Feature_Used
-- snowflake
my-table -> my-table
