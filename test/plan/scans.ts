import type { RunPlan } from '../../src/compiler/plan/plan.js';

/** Per input table read as events (`FROM "main"."<table>" AS e`), the plan steps that read it; user SQL left out. */
export function eventTableScans(plan: RunPlan): Record<string, string[]> {
  const scans = new Map<string, string[]>();
  for (const step of plan.steps) {
    if (step.kind === 'sql_trait') continue;
    for (const m of step.sql.matchAll(/FROM "main"\."(\w+)" AS e\b/g)) scans.set(m[1], [...(scans.get(m[1]) ?? []), step.name]);
  }
  return Object.fromEntries(scans);
}

/**
 * The example project's reads: one user-level pass per event table (most_frequent and distinct
 * lists share one pass by user and value), and one account-level pass where scope: group_context
 * needs the events themselves.
 */
export const EXAMPLE_SCANS = {
  feature_used: ['_plan_feature_used_values', '_plan_feature_used_account_events'],
  logged_in: ['_plan_logged_in_users'],
  nps_survey_submitted: ['_plan_nps_survey_submitted_users'],
  order_completed: ['_plan_order_completed_users'],
  page_viewed: ['_plan_page_viewed_users'],
};
