-- roster sql_trait st_state (user), postgres
-- no parameter
-- reads the results of: ct_event_counter (in a run, that run's; run alone, the last committed ones in the state schema)
-- run it with SET jit = off, as roster does: JIT-compiling its long expressions can take far longer and more memory than the query, and cannot be cancelled
SELECT user_id, ct_event_counter * 2 AS st_state FROM "roster"."ct_event_counter"
