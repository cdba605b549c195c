import { describe, expect, it } from 'vitest';
import type { Destination } from '../../src/definitions/project-config.js';
import { renderMessage, shouldSend, type Change } from '../../src/emit/index.js';

const AS_OF = '2024-06-01T00:00:00.000Z';
const DEFAULT_EVENTS = { audience_entered: 'Audience Entered', audience_exited: 'Audience Exited', trait_computed: 'Trait Computed' };

/** A stdout destination as the roster.yml schema fills it in (defaults for calls and events). */
function destination(name: string, over: { calls?: Destination['calls']; events?: Partial<Destination['events']> } = {}): Destination {
  return { name, type: 'stdout', calls: over.calls ?? ['group', 'identify', 'track'], events: { ...DEFAULT_EVENTS, ...over.events } };
}

const dest = destination('crm');

function audience(over: Partial<Change>): Change {
  return {
    definitionKey: 'at_risk_accounts', definitionKind: 'audience', computationClass: 'audience',
    call: 'group', kind: 'entered', values: { at_risk_accounts: true }, asOf: AS_OF, entity: 'account', ...over,
  };
}

function trait(over: Partial<Change>): Change {
  return {
    definitionKey: 'logins_past_30_days', definitionKind: 'computed_trait', computationClass: 'trait',
    call: 'identify', kind: 'changed', userId: 'u1', values: { logins_past_30_days: 12 }, asOf: AS_OF,
    entity: 'user', ...over,
  };
}

describe('audience messages', () => {
  it('account audience group carries the account smallest user id as userId', () => {
    const m = renderMessage(audience({ groupId: 'acme', userId: 'u1' }), dest);
    expect(m).toEqual({
      type: 'group', userId: 'u1', groupId: 'acme', traits: { at_risk_accounts: true }, timestamp: AS_OF,
      messageId: m.messageId, context: { personas: { computation_class: 'audience', computation_key: 'at_risk_accounts' } },
    });
    expect(m).not.toHaveProperty('anonymousId');
  });

  it('account audience group for an account without users uses anonymousId group:<id>', () => {
    const m = renderMessage(audience({ groupId: 'acme', kind: 'exited', values: { at_risk_accounts: false } }), dest);
    expect(m).toMatchObject({ type: 'group', anonymousId: 'group:acme', groupId: 'acme', traits: { at_risk_accounts: false } });
    expect(m).not.toHaveProperty('userId');
  });

  it('identify on entering and leaving sets the key to true / false', () => {
    const entered = renderMessage(audience({ call: 'identify', userId: 'u1' }), dest);
    const exited = renderMessage(audience({ call: 'identify', userId: 'u1', kind: 'exited', values: { at_risk_accounts: false } }), dest);
    expect(entered).toMatchObject({ type: 'identify', userId: 'u1', traits: { at_risk_accounts: true } });
    expect(exited).toMatchObject({ type: 'identify', userId: 'u1', traits: { at_risk_accounts: false } });
    expect(entered).not.toHaveProperty('groupId');
  });

  it('track Audience Entered / Audience Exited with audience_key first', () => {
    const entered = renderMessage(audience({ call: 'track', userId: 'u1', groupId: 'acme' }), dest);
    const exited = renderMessage(audience({ call: 'track', userId: 'u1', kind: 'exited', values: { at_risk_accounts: false } }), dest);
    expect(entered).toMatchObject({ type: 'track', userId: 'u1', event: 'Audience Entered' });
    expect(entered.type === 'track' && Object.entries(entered.properties)).toEqual([['audience_key', 'at_risk_accounts'], ['at_risk_accounts', true]]);
    expect(entered).not.toHaveProperty('groupId');
    expect(exited).toMatchObject({ event: 'Audience Exited', properties: { audience_key: 'at_risk_accounts', at_risk_accounts: false } });
  });

  it('an audience change of kind changed is refused', () => {
    expect(() => renderMessage(audience({ call: 'identify', userId: 'u1', kind: 'changed' }), dest)).toThrow(/entered or exited/);
  });
});

describe('trait messages', () => {
  it('account computed trait -> group with the value', () => {
    const m = renderMessage(trait({ call: 'group', groupId: 'acme', userId: 'u1', entity: 'account' }), dest);
    expect(m).toMatchObject({ type: 'group', groupId: 'acme', userId: 'u1', traits: { logins_past_30_days: 12 } });
    expect(m.context.personas).toEqual({ computation_class: 'trait', computation_key: 'logins_past_30_days' });
  });

  it('identify and track Trait Computed with trait_key', () => {
    expect(renderMessage(trait({}), dest)).toMatchObject({ type: 'identify', userId: 'u1', traits: { logins_past_30_days: 12 } });
    const t = renderMessage(trait({ call: 'track' }), dest);
    expect(t).toMatchObject({ type: 'track', userId: 'u1', event: 'Trait Computed' });
    expect(t.type === 'track' && Object.entries(t.properties)).toEqual([['trait_key', 'logins_past_30_days'], ['logins_past_30_days', 12]]);
  });

  it('sql trait sends every column of the changed row', () => {
    const change = trait({
      definitionKey: 'account_health', definitionKind: 'sql_trait', call: 'track',
      values: { health_score: 0.75, plan: 'pro', seats: 12n, renewed_at: new Date(Date.UTC(2024, 4, 2, 3, 4, 5, 6)) },
    });
    const t = renderMessage(change, dest);
    expect(t).toMatchObject({
      properties: { trait_key: 'account_health', health_score: 0.75, plan: 'pro', seats: 12, renewed_at: '2024-05-02T03:04:05.006Z' },
    });
    const i = renderMessage({ ...change, call: 'identify' }, dest);
    expect(i).toMatchObject({ traits: { health_score: 0.75, plan: 'pro', seats: 12, renewed_at: '2024-05-02T03:04:05.006Z' } });
  });

  it('values serialise as JSON: integers without fraction, unsafe bigint as text, empty values kept', () => {
    const m = renderMessage(trait({ values: { a: 3, b: 2n ** 60n, c: null, d: [], e: 0, f: Number.NaN } }), dest);
    expect(JSON.stringify(m.type === 'identify' && m.traits)).toBe('{"a":3,"b":"1152921504606846976","c":null,"d":[],"e":0,"f":null}');
  });
});

describe('event names', () => {
  it('custom templates see key, kind, entity and description, unescaped', () => {
    const custom = destination('amp', {
      events: { audience_entered: 'Entered {{key}} ({{kind}}/{{entity}})', audience_exited: 'Left {{description}}', trait_computed: '{{key}} <{{kind}}>' },
    });
    expect(renderMessage(audience({ call: 'track', userId: 'u1' }), custom)).toMatchObject({ event: 'Entered at_risk_accounts (audience/account)' });
    expect(renderMessage(audience({ call: 'track', userId: 'u1', kind: 'exited', description: "O'Brien & co" }), custom))
      .toMatchObject({ event: "Left O'Brien & co" });
    expect(renderMessage(trait({ call: 'track' }), custom)).toMatchObject({ event: 'logins_past_30_days <computed_trait>' });
  });

  it('consecutive tracks get the name of their own context, not the previous one', () => {
    const custom = destination('amp', { events: { audience_entered: '{{key}}: {{description}}' } });
    const names = [undefined, 'first', 'first', 'second', undefined].map((description) =>
      (renderMessage(audience({ call: 'track', userId: 'u1', description }), custom) as { event: string }).event);
    expect(names).toEqual(['at_risk_accounts: ', 'at_risk_accounts: first', 'at_risk_accounts: first', 'at_risk_accounts: second', 'at_risk_accounts: ']);
    expect(renderMessage(audience({ call: 'track', userId: 'u1', definitionKey: 'churned' }), custom)).toMatchObject({ event: 'churned: ' });
  });

  it('an invalid template is an error naming the destination', () => {
    const bad = destination('broken', { events: { trait_computed: '{{#if key}}open' } });
    expect(() => renderMessage(trait({ call: 'track' }), bad)).toThrow(/destination "broken".*trait_computed/);
  });

  it('a template rendering nothing is an error naming the destination', () => {
    // (A variable the template does not see, {{nothing}}, is refused earlier, as an invalid template.)
    const empty = destination('blank', { events: { trait_computed: '{{description}}' } });
    expect(() => renderMessage(trait({ call: 'track' }), empty)).toThrow(/destination "blank".*empty/);
  });
});

describe('messageId', () => {
  it('is deterministic, prefixed and under 100 characters', () => {
    const a = renderMessage(trait({}), dest);
    const b = renderMessage(trait({ values: { logins_past_30_days: 12 } }), dest);
    expect(a.messageId).toBe(b.messageId);
    expect(a.messageId).toMatch(/^roster-[0-9a-f]{40}$/);
    expect(a.messageId.length).toBeLessThan(100);
  });

  it('does not depend on the destination or on key order of nested values', () => {
    const other = destination('x', { events: { trait_computed: 'X' } });
    expect(renderMessage(trait({ call: 'track' }), dest).messageId).toBe(renderMessage(trait({ call: 'track' }), other).messageId);
    expect(renderMessage(trait({ values: { t: { a: 1, b: 2 } } }), dest).messageId)
      .toBe(renderMessage(trait({ values: { t: { b: 2, a: 1 } } }), dest).messageId);
  });

  it('differs when any identifying field differs', () => {
    const base = trait({});
    const variants: Change[] = [
      base,
      { ...base, values: { logins_past_30_days: 13 } },
      { ...base, call: 'track' },
      { ...base, userId: 'u2' },
      { ...base, groupId: 'acme' },
      { ...base, asOf: '2024-06-02T00:00:00.000Z' },
      { ...base, definitionKey: 'other' , values: { other: 12 } },
      audience({ call: 'identify', userId: 'u1' }),
      audience({ call: 'identify', userId: 'u1', kind: 'exited' }),
    ];
    const ids = new Set(variants.map((c) => renderMessage(c, dest).messageId));
    expect(ids.size).toBe(variants.length);
  });

  it('a number and its bigint form give the same id', () => {
    expect(renderMessage(trait({ values: { logins_past_30_days: 12n } }), dest).messageId)
      .toBe(renderMessage(trait({}), dest).messageId);
  });
});

describe('timestamp and calls', () => {
  it('timestamp is the run as_of in ISO-8601 UTC with ms and Z', () => {
    expect(renderMessage(trait({}), dest).timestamp).toBe(AS_OF);
    expect(renderMessage(trait({ asOf: '2024-06-01T02:00:00+02:00' }), dest).timestamp).toBe(AS_OF);
    expect(() => renderMessage(trait({ asOf: 'yesterday' }), dest)).toThrow(/not an ISO-8601/);
  });

  it('shouldSend follows destination.calls', () => {
    const onlyGroups = destination('g', { calls: ['group'] });
    expect(shouldSend(onlyGroups, 'group')).toBe(true);
    expect(shouldSend(onlyGroups, 'identify')).toBe(false);
    expect(shouldSend(onlyGroups, 'track')).toBe(false);
    expect(['group', 'identify', 'track'].every((c) => shouldSend(dest, c as 'group'))).toBe(true);
  });

  it('group without groupId and identify without userId are errors', () => {
    expect(() => renderMessage(audience({}), dest)).toThrow(/groupId/);
    expect(() => renderMessage(trait({ userId: undefined }), dest)).toThrow(/userId/);
  });
});

describe('wire format', () => {
  // Pinned bytes of each message shape (key order, escapes, ids), as roster has always written them.
  it('each call type serialises to the same JSON as before, key order included', () => {
    const a = audience({ values: {} });
    const t = trait({
      definitionKey: 'account_health', definitionKind: 'sql_trait', entity: 'account', asOf: '2024-06-01T02:00:00+02:00', asOfRepeat: 1,
      values: { '7': 'seven', trait_key: 'mine', plan: 'pro', seats: 12n },
    });
    const rendered = [
      { ...a, call: 'group', groupId: 'acme', userId: 'u1' }, { ...a, call: 'group', groupId: 'acme', kind: 'exited' },
      { ...a, call: 'identify', userId: 'u1' }, { ...a, call: 'track', userId: 'u1', groupId: 'acme' },
      { ...t, call: 'group', groupId: 'acme', userId: 'u "1"' }, { ...t, call: 'identify', userId: 'u1' }, { ...t, call: 'track', userId: 'u1' },
    ].map((c) => JSON.stringify(renderMessage(c as Change, dest)));
    expect(rendered).toEqual([
      '{"type":"group","userId":"u1","groupId":"acme","traits":{"at_risk_accounts":true},"timestamp":"2024-06-01T00:00:00.000Z","messageId":"roster-2d7c6a8037ad180d3a7e4cd035424b439726d734","context":{"personas":{"computation_class":"audience","computation_key":"at_risk_accounts"}}}',
      '{"type":"group","anonymousId":"group:acme","groupId":"acme","traits":{"at_risk_accounts":false},"timestamp":"2024-06-01T00:00:00.000Z","messageId":"roster-a9997a9587e82739bd57a57b30b2d864eac7ecf9","context":{"personas":{"computation_class":"audience","computation_key":"at_risk_accounts"}}}',
      '{"type":"identify","userId":"u1","traits":{"at_risk_accounts":true},"timestamp":"2024-06-01T00:00:00.000Z","messageId":"roster-07a30d6e2dcdf904d9f18c6acd5117c11c8fd579","context":{"personas":{"computation_class":"audience","computation_key":"at_risk_accounts"}}}',
      '{"type":"track","userId":"u1","event":"Audience Entered","properties":{"audience_key":"at_risk_accounts","at_risk_accounts":true},"timestamp":"2024-06-01T00:00:00.000Z","messageId":"roster-9812e48350e45a6ae74f185e580047240394241e","context":{"personas":{"computation_class":"audience","computation_key":"at_risk_accounts"}}}',
      '{"type":"group","userId":"u \\"1\\"","groupId":"acme","traits":{"7":"seven","trait_key":"mine","plan":"pro","seats":12},"timestamp":"2024-06-01T00:00:00.000Z","messageId":"roster-18a2a8ad4a9dfc80e70ffb004be47a1f9904d5f5","context":{"personas":{"computation_class":"trait","computation_key":"account_health"}}}',
      '{"type":"identify","userId":"u1","traits":{"7":"seven","trait_key":"mine","plan":"pro","seats":12},"timestamp":"2024-06-01T00:00:00.000Z","messageId":"roster-1b0324055c085cde95355918f51e245bf984ae17","context":{"personas":{"computation_class":"trait","computation_key":"account_health"}}}',
      '{"type":"track","userId":"u1","event":"Trait Computed","properties":{"7":"seven","trait_key":"account_health","plan":"pro","seats":12},"timestamp":"2024-06-01T00:00:00.000Z","messageId":"roster-7c90d5c63f97b3d4156112b96f8a456c59c849f7","context":{"personas":{"computation_class":"trait","computation_key":"account_health"}}}',
    ]);
  });
});
