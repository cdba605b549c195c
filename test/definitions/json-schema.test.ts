import { describe, expect, it } from 'vitest';
import { definitionJsonSchema, projectConfigJsonSchema } from '../../src/definitions/json-schema.js';

/** Every `$ref` in a schema, so we can check that each resolves. */
function refs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refs(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) (k === '$ref' && typeof v === 'string' ? out.push(v) : refs(v, out));
  }
  return out;
}

describe('JSON schemas for editors', () => {
  it('describes each definition kind, with conditions spelled out recursively', () => {
    const schema = definitionJsonSchema() as { oneOf: { properties: Record<string, any> }[]; $defs: Record<string, any> };
    expect(schema.oneOf.map((s) => s.properties.kind.const)).toEqual(['computed_trait', 'sql_trait', 'audience']);
    const [computed, , audience] = schema.oneOf;
    expect(audience.properties.where).toEqual({ $ref: '#/$defs/roster_condition' });
    expect(computed.properties.where.items).toEqual({ $ref: '#/$defs/roster_property_filter' });
    expect(computed.properties.window).toEqual({ $ref: '#/$defs/roster_window' });
    const heads = schema.$defs.roster_condition.oneOf.map((s: { required: string[] }) => s.required[0]);
    expect(heads).toEqual(['all', 'any', 'not', 'event', 'trait', 'audience', 'users']);
    expect(schema.$defs.roster_trait_condition.properties.op.enum).toContain('within_last');
  });

  it('has no dangling references and survives JSON', () => {
    for (const schema of [definitionJsonSchema(), projectConfigJsonSchema()]) {
      const defs = (schema as { $defs: Record<string, unknown> }).$defs;
      for (const ref of refs(schema)) expect(defs).toHaveProperty(ref.replace('#/$defs/', ''));
      expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
    }
  });

  it('describes roster.yml with its defaults, every field optional but a destination\'s own', () => {
    const schema = projectConfigJsonSchema() as { properties: Record<string, any>; required?: string[] };
    expect(schema.required ?? []).toEqual([]);
    expect(schema.properties.warehouse.properties.dialect).toMatchObject({ enum: ['duckdb', 'postgres', 'snowflake'], default: 'duckdb' });
    const jsonl = schema.properties.destinations.items.oneOf.find((d: any) => d.properties.type.const === 'jsonl');
    // SPEC 1: every field has a default but a destination's path or url (name and type too).
    expect(schema.properties.destinations.items.oneOf.map((d: any) => [d.properties.type.const, d.required])).toEqual([['jsonl', ['path']], ['http', ['url']], ['stdout', ['type']]]);
    expect(jsonl.properties.type.const).toBe('jsonl');
    // The pattern an editor checks accepts what roster does, in any case (JSON Schema has no i flag).
    const memory = new RegExp(schema.properties.warehouse.properties.memory_limit.pattern);
    expect(['4GB', '1.5 gb', '512MiB', '2 Gigabytes'].filter((m) => memory.test(m))).toHaveLength(4);
    expect(memory.test('4 parsecs')).toBe(false);
  });

  it('roster.yml: a number or boolean may be a whole ${NAME}, as roster reads it (max_retries: ${RETRIES})', () => {
    const schema = projectConfigJsonSchema() as { properties: Record<string, any> };
    const http = schema.properties.destinations.items.oneOf.find((d: any) => d.properties.type.const === 'http');
    const retries = http.properties.max_retries;
    expect(retries.anyOf[0]).toMatchObject({ type: 'integer' });
    const env = new RegExp(retries.anyOf[1].pattern);
    expect(['${RETRIES}', '${_X1}'].every((v) => env.test(v))).toBe(true);
    expect(['${1X}', 'x${RETRIES}', '${RETRIES}x', '3'].some((v) => env.test(v))).toBe(false);
    // Definitions take no variables: their numbers stay numbers.
    expect(JSON.stringify(definitionJsonSchema())).not.toContain('environment variable');
  });
});
