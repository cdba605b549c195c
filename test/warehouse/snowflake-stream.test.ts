import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { SnowflakeWarehouse, type SdkConnection, type SnowflakeSdk } from '../../src/warehouse/snowflake-runner.js';
import { WarehouseError, type Row } from '../../src/warehouse/warehouse.js';

// No Snowflake can be reached from here. This stand-in answers as snowflake-sdk's documented
// callback API does: `execute({sqlText, streamResult, complete})` calls complete(err, stmt,
// rows), with rows only when the result is not streamed; `stmt.streamRows()` is an object-mode
// Readable of rows keyed by upper-case column names.
interface Executed { readonly sqlText: string; readonly streamResult: boolean }

function standIn(result: readonly Record<string, unknown>[], options: { failAfter?: number; failQuery?: string } = {}) {
  const executed: Executed[] = [];
  const streams: Readable[] = [];
  const conn: SdkConnection = {
    connect: (cb) => cb(undefined),
    destroy: (cb) => cb(undefined),
    execute({ sqlText, streamResult, complete }) {
      executed.push({ sqlText, streamResult: streamResult === true });
      setImmediate(() => {
        if (options.failQuery && sqlText.includes(options.failQuery)) {
          complete(new Error(`SQL compilation error: Object '${options.failQuery}' does not exist`), undefined as never);
          return;
        }
        const rows = sqlText.startsWith('ALTER SESSION') ? [] : result;
        const stmt = {
          getColumns: () => [],
          streamRows: () => {
            const readable = Readable.from(rowsThenMaybeFail(rows, options.failAfter), { objectMode: true, highWaterMark: 2 });
            streams.push(readable);
            return readable;
          },
        };
        complete(undefined, stmt, streamResult ? undefined : [...rows]);
      });
    },
  };
  const sdk: SnowflakeSdk = { createConnection: () => conn };
  return { sdk, executed, streams };
}

function* rowsThenMaybeFail(rows: readonly Record<string, unknown>[], failAfter?: number): Generator<Record<string, unknown>> {
  for (let i = 0; i < rows.length; i++) {
    if (i === failAfter) throw new Error('chunk download failed: 403');
    yield rows[i];
  }
}

const RESULT = Array.from({ length: 7 }, (_, i) => ({ POSITION: BigInt(i + 1), CALL_CODE: i % 3, USER_ID: `u${i + 1}`, VALUES_JSON: '{"n":1}' }));
const connect = (sdk: SnowflakeSdk) => SnowflakeWarehouse.connect({ account: 'acme', username: 'roster' }, async () => sdk);

describe('SnowflakeWarehouse.stream (through a stand-in for snowflake-sdk)', () => {
  it('reads the result as a stream, in order, in batches of exactly the size asked, columns lower-cased', async () => {
    const fake = standIn(RESULT);
    const wh = await connect(fake.sdk);
    const batches: Row[][] = [];
    for await (const rows of wh.stream('SELECT * FROM messages', 3)) batches.push(rows);
    expect(batches.map((b) => b.length)).toEqual([3, 3, 1]);
    expect(batches.flat()).toEqual(await wh.query('SELECT * FROM messages'));
    expect(batches[0][0]).toEqual({ position: 1, call_code: 0, user_id: 'u1', values_json: '{"n":1}' });
    // The stream asked the SDK not to hold the rows; plain queries still get them inline.
    expect(fake.executed.filter((e) => e.sqlText.includes('messages')).map((e) => e.streamResult)).toEqual([true, false]);
    await wh.close();
  });

  it('closes the SDK stream when the reader stops early', async () => {
    const fake = standIn(RESULT);
    const wh = await connect(fake.sdk);
    const seen: unknown[] = [];
    for await (const rows of wh.stream('SELECT * FROM messages', 2)) {
      seen.push(...rows.map((r) => r.position));
      await wh.exec('UPDATE cursor SET done = 2'); // statements between batches, as delivery does
      break;
    }
    expect(seen).toEqual([1, 2]);
    expect(fake.streams).toHaveLength(1);
    expect(fake.streams[0].destroyed).toBe(true);
    await wh.close();
  });

  it('a query that fails, or a result that breaks off while read, is a WarehouseError', async () => {
    const failing = standIn(RESULT, { failQuery: 'no_such_table' });
    const wh = await connect(failing.sdk);
    const read = async (w: SnowflakeWarehouse, sql: string) => {
      const got: Row[][] = [];
      for await (const rows of w.stream(sql, 3)) got.push(rows);
      return got;
    };
    await expect(read(wh, 'SELECT * FROM no_such_table')).rejects.toThrow(/Object 'no_such_table' does not exist/);
    await expect(read(wh, 'SELECT * FROM no_such_table')).rejects.toBeInstanceOf(WarehouseError);

    const breaking = standIn(RESULT, { failAfter: 4 });
    const wh2 = await connect(breaking.sdk);
    const batches: Row[][] = [];
    const reading = (async () => {
      for await (const rows of wh2.stream('SELECT * FROM messages', 3)) batches.push(rows);
    })();
    await expect(reading).rejects.toThrow('reading the result of a query failed: chunk download failed: 403');
    await expect(reading).rejects.toBeInstanceOf(WarehouseError);
    expect(batches.map((b) => b.length)).toEqual([3]); // the rows before the failure, no partial batch
    await wh.close();
    await wh2.close();
  });

  it('without snowflake-sdk installed, says how to get it', async () => {
    const missing = SnowflakeWarehouse.connect({ account: 'acme', username: 'roster' }, () => Promise.reject(new Error('Cannot find package')));
    await expect(missing).rejects.toThrow('the snowflake dialect needs the snowflake-sdk package: npm install snowflake-sdk');
  });
});

describe('SnowflakeWarehouse session and run lock (through a stand-in for snowflake-sdk)', () => {
  it('sets UTC and timestamp output formats the dialect reads back, whatever the account set', async () => {
    const fake = standIn([]);
    const wh = await connect(fake.sdk);
    try {
      const session = fake.executed[0].sqlText;
      expect(session).toMatch(/^ALTER SESSION SET TIMEZONE = 'UTC', /);
      // An offset right after the time (INSTANT_TEXT), not Snowflake's default 'FF3 TZHTZM' with a space.
      for (const kind of ['TIMESTAMP', 'TIMESTAMP_LTZ', 'TIMESTAMP_TZ']) expect(session).toContain(`${kind}_OUTPUT_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF9TZH:TZM'`);
      // The bound as_of and ISO text are read as the default AUTO reads them, whatever the account set.
      expect(session).toContain("TIMESTAMP_INPUT_FORMAT = 'AUTO', DATE_INPUT_FORMAT = 'AUTO'");
    } finally {
      await wh.close();
    }
  });

  it('makes the lock table with its one row in one statement: no two first runs can insert it twice', async () => {
    const fake = standIn([{ 'number of rows updated': 1 }]);
    const wh = await connect(fake.sdk);
    try {
      await wh.lockRun('roster');
      const sql = fake.executed.map((e) => e.sqlText);
      expect(sql.filter((s) => /_LOCK/.test(s) && /^CREATE/.test(s))).toEqual([
        'CREATE TABLE IF NOT EXISTS "ROSTER"."_LOCK" AS SELECT CAST(1 AS INTEGER) AS id, CAST(NULL AS VARCHAR) AS holder, CAST(NULL AS TIMESTAMP_NTZ) AS taken_at',
      ]);
      // Scratch tables (unqualified temporary tables) then go to the state schema.
      expect(sql.at(-1)).toBe('USE SCHEMA "ROSTER"');
    } finally {
      await wh.close();
    }
  });
});
