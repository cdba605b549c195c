-- roster sql_trait st_state (user), snowflake
-- parameter as_of: the run's instant (UTC)
-- reads this run's results of: ct_event_counter
SELECT user_id, ct_event_counter * 2 AS st_state FROM "ROSTER"."CT_EVENT_COUNTER"
