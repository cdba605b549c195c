-- roster sql_trait st_state (user), duckdb
-- no parameter
-- reads the results of: ct_event_counter (in a run, that run's; run alone, the last committed ones in the state schema)
SELECT user_id, ct_event_counter * 2 AS st_state FROM "roster"."ct_event_counter"
