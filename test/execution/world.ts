import type { Fixture } from '../support/fixture.js';

/**
 * A small B2B world whose answers are worked out by hand in the tests. as_of = 2024-06-01T00:00:00Z.
 *
 * accounts: a1 = {u1, u2}; a2 = {u2, u3} (u2 is in two accounts); a3 has no users (group call
 * without user_id); a4 is joined by u5 only after as_of (so a4 is not an account yet).
 * users: u1, u2, u3 (events), u5 (group call only), u6 (identify only). u4 appears only after as_of.
 */
export const AS_OF = '2024-06-01T00:00:00Z';

export const world: Fixture = {
  events: [
    // Logged In: u1 three times in the last 30 days plus once before; u2 once; u3 only after as_of.
    { id: 'e01', user_id: 'u1', event: 'Logged In', timestamp: '2024-05-30T09:00:00Z', context_group_id: 'a1' },
    { id: 'e02', user_id: 'u1', event: 'Logged In', timestamp: '2024-05-31T09:00:00Z', context_group_id: 'a1' },
    { id: 'e03', user_id: 'u1', event: 'Logged In', timestamp: '2024-06-01T00:00:00Z', context_group_id: null },
    { id: 'e04', user_id: 'u1', event: 'Logged In', timestamp: '2024-04-01T09:00:00Z', context_group_id: 'a1' },
    { id: 'e05', user_id: 'u2', event: 'Logged In', timestamp: '2024-05-20T09:00:00Z', context_group_id: 'a2' },
    { id: 'e06', user_id: 'u3', event: 'Logged In', timestamp: '2024-06-02T09:00:00Z', context_group_id: 'a2' },
    { id: 'e07', user_id: null, event: 'Logged In', timestamp: '2024-05-30T09:00:00Z' },
    // exactly 30 days before as_of: outside "last 30 days" (as_of - 30 days < ts)
    { id: 'e08', user_id: 'u2', event: 'Logged In', timestamp: '2024-05-02T00:00:00Z', context_group_id: 'a1' },
    // Page Viewed: u1's two earliest views share a timestamp, so the id decides (p10 < p11).
    { id: 'p11', user_id: 'u1', event: 'Page Viewed', timestamp: '2024-05-01T10:00:00Z', props: { path: '/docs' } },
    { id: 'p10', user_id: 'u1', event: 'Page Viewed', timestamp: '2024-05-01T10:00:00Z', props: { path: '/pricing' } },
    { id: 'p09', user_id: 'u1', event: 'Page Viewed', timestamp: '2024-04-30T10:00:00Z', props: { path: null } },
    { id: 'p12', user_id: 'u1', event: 'Page Viewed', timestamp: '2024-05-20T10:00:00Z', props: { path: "/o'brien" } },
    { id: 'p13', user_id: 'u2', event: 'Page Viewed', timestamp: '2024-05-02T10:00:00Z', props: { path: '/home' } },
    { id: 'p14', user_id: 'u3', event: 'Page Viewed', timestamp: '2024-06-05T10:00:00Z', props: { path: '/late' } },
    // Order Completed: totals
    { id: 'o01', user_id: 'u1', event: 'Order Completed', timestamp: '2024-05-10T10:00:00Z', props: { total: 10.5, currency: 'USD' } },
    { id: 'o02', user_id: 'u1', event: 'Order Completed', timestamp: '2024-05-11T10:00:00Z', props: { total: 20, currency: 'EUR' } },
    { id: 'o03', user_id: 'u2', event: 'Order Completed', timestamp: '2024-05-12T10:00:00Z', props: { total: 5, currency: 'USD' } },
    { id: 'o04', user_id: 'u3', event: 'Order Completed', timestamp: '2024-05-13T10:00:00Z', props: { total: null, currency: 'USD' } },
    // Feature Used: u1 dashboards x3, reports x3, alerts x1; u2 api x1; u3 "Zoë's 🚀" x2
    ...['f01', 'f02', 'f03'].map((id, i) => ({ id, user_id: 'u1', event: 'Feature Used', timestamp: `2024-05-1${i}T08:00:00Z`, props: { feature_name: 'reports' } })),
    ...['f04', 'f05', 'f06'].map((id, i) => ({ id, user_id: 'u1', event: 'Feature Used', timestamp: `2024-05-2${i}T08:00:00Z`, props: { feature_name: 'dashboards' } })),
    { id: 'f07', user_id: 'u1', event: 'Feature Used', timestamp: '2024-05-25T08:00:00Z', props: { feature_name: 'alerts' } },
    { id: 'f08', user_id: 'u2', event: 'Feature Used', timestamp: '2024-05-25T08:00:00Z', props: { feature_name: 'api' } },
    { id: 'f09', user_id: 'u3', event: 'Feature Used', timestamp: '2024-05-25T08:00:00Z', props: { feature_name: "Zoë's 🚀" } },
    { id: 'f10', user_id: 'u3', event: 'Feature Used', timestamp: '2024-05-26T08:00:00Z', props: { feature_name: "Zoë's 🚀" } },
  ],
  identifies: [
    { id: 'i1', user_id: 'u1', timestamp: '2024-05-01T00:00:00Z', traits: { plan: 'pro', role: 'admin', seats: 5, trial_ends: '2024-05-20T00:00:00Z' } },
    { id: 'i2', user_id: 'u1', timestamp: '2024-05-10T00:00:00Z', traits: { plan: null, role: null, seats: 12 } },
    { id: 'i3', user_id: 'u2', timestamp: '2024-05-01T00:00:00Z', traits: { plan: 'free', role: 'member', seats: null, trial_ends: '2024-06-10' } },
    { id: 'i4', user_id: 'u2', timestamp: '2024-05-15T00:00:00Z', traits: { plan: 'pro', role: null, seats: null } },
    { id: 'i5', user_id: 'u3', timestamp: '2024-05-01T00:00:00Z', traits: { plan: 'trial', role: "O'Brien \"the\" admin", seats: 3, trial_ends: '2024-05-31T12:00:00+02:00' } },
    // same timestamp: the larger id wins (i7 > i6)
    { id: 'i6', user_id: 'u6', timestamp: '2024-05-01T00:00:00Z', traits: { plan: 'free', role: 'viewer', seats: null } },
    { id: 'i7', user_id: 'u6', timestamp: '2024-05-01T00:00:00Z', traits: { plan: 'enterprise', role: null, seats: null } },
    { id: 'i8', user_id: 'u4', timestamp: '2024-06-05T00:00:00Z', traits: { plan: 'enterprise', role: 'admin', seats: null } },
    { id: 'i9', user_id: 'u2', timestamp: '2024-06-02T00:00:00Z', traits: { plan: 'enterprise', role: null, seats: null } },
  ],
  groups: [
    { id: 'g1', user_id: 'u1', group_id: 'a1', timestamp: '2024-04-01T00:00:00Z', traits: { industry: 'Software', plan: 'pro', employees: 50 } },
    { id: 'g2', user_id: 'u2', group_id: 'a1', timestamp: '2024-04-02T00:00:00Z', traits: { industry: null, plan: null, employees: null } },
    { id: 'g3', user_id: 'u2', group_id: 'a2', timestamp: '2024-04-03T00:00:00Z', traits: { industry: 'Finance', plan: 'trial', employees: 8 } },
    { id: 'g4', user_id: 'u3', group_id: 'a2', timestamp: '2024-04-04T00:00:00Z', traits: { industry: null, plan: null, employees: null } },
    { id: 'g5', user_id: null, group_id: 'a3', timestamp: '2024-04-05T00:00:00Z', traits: { industry: 'Software', plan: 'enterprise', employees: 500 } },
    { id: 'g6', user_id: 'u5', group_id: 'a1', timestamp: '2024-04-06T00:00:00Z', traits: { industry: null, plan: null, employees: null } },
    // u1 joins a1 a second time: memberships are a set, so a1 must not count u1's events twice
    { id: 'g9', user_id: 'u1', group_id: 'a1', timestamp: '2024-05-01T00:00:00Z', traits: { industry: null, plan: null, employees: null } },
    { id: 'g7', user_id: 'u5', group_id: 'a4', timestamp: '2024-06-03T00:00:00Z', traits: { industry: 'Retail', plan: null, employees: null } },
    { id: 'g8', user_id: null, group_id: 'a2', timestamp: '2024-06-03T00:00:00Z', traits: { industry: 'Software', plan: null, employees: null } },
  ],
};
