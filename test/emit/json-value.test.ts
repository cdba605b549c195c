import { describe, expect, it } from 'vitest';
import { canonicalJson, messageId, toJsonRecord, type JsonValue } from '../../src/emit/index.js';
import { jsonString } from '../../src/emit/json-value.js';

/** The definition canonicalJson keeps: keys sorted by UTF-16 code unit at every level, JSON.stringify for the rest. */
function referenceCanonical(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(referenceCanonical).join(',')}]`;
  const record = value as { readonly [k: string]: JsonValue };
  const keys = Object.keys(record).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${keys.map((k) => `${JSON.stringify(k)}:${referenceCanonical(record[k])}`).join(',')}}`;
}

const TRICKY_STRINGS = [
  '', 'plain', 'with "quotes"', 'back\\slash', 'line\nbreak\r\t', '\u0000\u0001\u001f\u007f', 'Zürich — 東京 🚀',
  'lone \ud800 high', 'lone \udfff low', 'pair \ud83d\ude80', '\u2028\u2029', '</script>', 'x'.repeat(100_000),
];
const TRICKY_NUMBERS = [0, -0, 1, -1, 0.1, 1e21, 1e-7, -1e-7, 5e-324, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, 1.7976931348623157e308, Number.NaN, Number.POSITIVE_INFINITY];

/** A deterministic pseudo-random JSON value (mulberry32), nested up to `depth`. */
function randomValue(next: () => number, depth: number): JsonValue {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  const roll = next();
  if (depth <= 0 || roll < 0.5) {
    return pick<JsonValue>([null, true, false, pick(TRICKY_NUMBERS), pick(TRICKY_STRINGS.slice(0, -1)), Math.round(next() * 1e6) / 100]);
  }
  const n = Math.floor(next() * 5);
  if (roll < 0.7) return Array.from({ length: n }, () => randomValue(next, depth - 1));
  const keys = ['a', 'B', 'b', '10', '9', '0', '', 'é', '"q"', '\u0000', '🚀', 'z\\', 'plan', 'seats'];
  const out: Record<string, JsonValue> = {};
  for (let i = 0; i < n; i++) out[pick(keys)] = randomValue(next, depth - 1);
  return out;
}

function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('canonicalJson', () => {
  it('writes tricky scalars exactly as JSON.stringify does', () => {
    for (const v of [...TRICKY_STRINGS, ...TRICKY_NUMBERS, true, false, null]) expect(canonicalJson(v)).toBe(JSON.stringify(v));
  });

  it('sorts keys by code unit at every level, whatever order they came in', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null }, '10': 'x', '9': 'y', B: true }))
      .toBe('{"10":"x","9":"y","B":true,"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ '\u0000k': 1, '"q"': 2, 'é': 3, '🚀': 4, '': 5 })).toBe('{"":5,"\\u0000k":1,"\\"q\\"":2,"é":3,"🚀":4}');
  });

  it('gives the same text as the reference definition for 5000 random nested values', () => {
    const next = mulberry32(42);
    for (let i = 0; i < 5000; i++) {
      const value = randomValue(next, 4);
      expect(canonicalJson(value)).toBe(referenceCanonical(value));
    }
  });
});

describe('jsonString', () => {
  it('is JSON.stringify for every UTF-16 code unit, alone and between letters', () => {
    const differ: number[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      const s = String.fromCharCode(c);
      if (jsonString(s) !== JSON.stringify(s) || jsonString(`a${s}b`) !== JSON.stringify(`a${s}b`)) differ.push(c);
    }
    expect(differ).toEqual([]);
  });

  it('keeps surrogate pairs and escapes lone surrogates, as JSON.stringify does', () => {
    for (const s of ['\ud83d\ude80', '\ud83d', '\ude80', '\ude80\ud83d', 'a\ud83d\ude80\ud83d']) expect(jsonString(s)).toBe(JSON.stringify(s));
  });
});

describe('toJsonRecord', () => {
  it('converts every value, keeping key order, and names the path of a value it cannot send', () => {
    const record = toJsonRecord({ b: 2n, a: -0, '1': new Date(Date.UTC(2024, 0, 2)), c: [1n, Number.NaN], d: { e: undefined, a: [{ z: 1, y: 2 }] } }, 'trait');
    // A nested object's keys sorted, at every level: the same whichever order the engine wrote them in.
    expect(JSON.stringify(record)).toBe('{"1":"2024-01-02T00:00:00.000Z","b":2,"a":0,"c":[1,null],"d":{"a":[{"y":2,"z":1}],"e":null}}');
    expect(() => toJsonRecord({ ok: 1, nested: { f: () => 1 } }, 'trait')).toThrow('trait.nested.f: a function cannot be sent as JSON');
    expect(() => toJsonRecord({ s: Symbol('x') }, 'trait')).toThrow('trait.s: a symbol cannot be sent as JSON');
  });
});

describe('messageId', () => {
  // Ids already sent must stay the ids of the same changes: these were produced before any optimisation.
  it('keeps the ids it has always given', () => {
    const asOf = '2024-06-01T00:00:00.000Z';
    expect(messageId({ definitionKey: 'logins_past_30_days', call: 'identify', userId: 'u1', kind: 'changed', asOf, values: { logins_past_30_days: 12 } }))
      .toBe('roster-b34817b3345531a972695ff287ed649736655156');
    expect(messageId({ definitionKey: 'at_risk_accounts', call: 'group', groupId: 'acme', kind: 'exited', asOf, values: { at_risk_accounts: false } }))
      .toBe('roster-a9997a9587e82739bd57a57b30b2d864eac7ecf9');
    expect(messageId({
      definitionKey: 'account_health', call: 'track', groupId: 'acme', userId: 'Zoë "the" \\ 東京 🚀', kind: 'changed', asOf, asOfRepeat: 2,
      values: { seats: 12, plan: 'pro\n', nested: { b: [1, -0, 1e21, null, 'x'], a: { '\u0000k': true, '': 0.1 } }, '10': 'ten', '9': 'nine' },
    })).toBe('roster-8e2c59b475527bb1256992de8143752bc7a1beaf');
  });
});
