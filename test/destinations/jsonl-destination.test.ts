import { mkdtemp, readFile, rename, rm, writeFile, mkdir, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeliveryError, JsonlDestination, MAX_DELIVERY_STEP, openDestination, toJsonLines } from '../../src/destinations/index.js';
import { config as configOf, messages } from './fixtures.js';

let dir: string;
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'roster-jsonl-')); });
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

const lines = async (path: string): Promise<string[]> => (await readFile(path, 'utf8')).split('\n');

describe('jsonl destination', () => {
  it('appends one JSON line per message under the project folder, creating folders', async () => {
    const config = configOf.jsonl('crm', 'out/deep/crm.jsonl');
    const target = openDestination(config, dir);
    const [a, b, c] = messages(3);
    await target.send([a, b]);
    await target.send([c]);
    await target.close();
    const again = openDestination(config, dir);
    await again.send([]);
    await again.close();
    const text = await lines(join(dir, 'out/deep/crm.jsonl'));
    expect(text.pop()).toBe('');
    expect(text.map((l) => JSON.parse(l))).toEqual([a, b, c]);
  });

  it.each([
    ['its folder is removed', async (file: string) => rm(join(file, '..'), { recursive: true })],
    ['it is moved away (a rotation)', async (file: string) => { await rename(file, `${file}.1`); }],
  ])('a file that %s while roster holds it open: the lines are written again to the file the path names', async (_, remove) => {
    const file = join(dir, 'out/crm.jsonl');
    const target = new JsonlDestination('crm', file);
    const [a, b, c] = messages(3);
    await target.send([a]);
    await remove(file);
    await target.send([b, c]);
    await target.close();
    const text = await lines(file);
    expect(text.pop()).toBe('');
    expect(text.map((l) => JSON.parse(l))).toEqual([b, c]);
  });

  it('escapes the line breaks JSON leaves raw (U+0085, U+2028, U+2029), so a reader splitting on any line break sees one line per message', async () => {
    const path = join(dir, 'breaks.jsonl');
    const [plain] = messages(1);
    const odd = { ...plain, traits: { plan: 'a\u2028b\u2029c\u0085d' } } as typeof plain;
    const target = new JsonlDestination('crm', path);
    await target.send([odd, ...messages(1, 0, 1)]);
    await target.close();
    const text = await readFile(path, 'utf8');
    expect(text).not.toMatch(/[\u0085\u2028\u2029]/);
    expect(text).toContain(String.raw`a\u2028b\u2029c\u0085d`);
    const lines = text.split(/\r\n|[\n\r\v\f\u001c-\u001e\u0085\u2028\u2029]/).filter(Boolean);
    expect(lines.map((l) => JSON.parse(l).traits.plan)).toEqual(['a\u2028b\u2029c\u0085d', 'pro']);
    // Found again after a crash by its messageId, as any other line.
    expect(await new JsonlDestination('crm', path).alreadyDelivered([odd.messageId])).toEqual(new Set([odd.messageId]));
  });

  it('fsyncs after writing and before send resolves', async () => {
    const probe = await open(join(dir, 'probe'), 'w');
    const proto = Object.getPrototypeOf(probe);
    await probe.close();
    const calls: string[] = [];
    const write = proto.write;
    vi.spyOn(proto, 'write').mockImplementation(function (this: unknown, ...args: unknown[]) { calls.push('write'); return write.apply(this, args); });
    const sync = proto.sync;
    vi.spyOn(proto, 'sync').mockImplementation(function (this: unknown) { calls.push('sync'); return sync.apply(this); });
    const target = new JsonlDestination('crm', join(dir, 'crm.jsonl'));
    await target.send(messages(2));
    calls.push('resolved');
    await target.close();
    expect(calls.slice(calls.indexOf('write'))).toEqual(['write', 'sync', 'resolved']);
  });

  it('alreadyDelivered names exactly the asked ids found in the file', async () => {
    const path = join(dir, 'crm.jsonl');
    const target = new JsonlDestination('crm', path);
    const sent = messages(5);
    await target.send(sent.slice(0, 3));
    const found = await target.alreadyDelivered([sent[1].messageId, sent[4].messageId, sent[0].messageId, 'roster-unknown']);
    expect([...found].sort()).toEqual([sent[0].messageId, sent[1].messageId].sort());
    expect(await target.alreadyDelivered([])).toEqual(new Set());
    await target.close();
  });

  it('a torn last line is cut, so a re-sent message is held once and no half line remains', async () => {
    const path = join(dir, 'crm.jsonl');
    const sent = messages(3);
    const full = toJsonLines(sent);
    const torn = full.slice(0, full.length - 25); // crash in the middle of the third line
    await writeFile(path, torn);
    const target = new JsonlDestination('crm', path);
    const held = await target.alreadyDelivered(sent.map((m) => m.messageId));
    expect(held).toEqual(new Set([sent[0].messageId, sent[1].messageId]));
    expect(await readFile(path, 'utf8')).toBe(toJsonLines(sent.slice(0, 2)));
    await target.send(sent.filter((m) => !held.has(m.messageId)));
    await target.close();
    expect(await readFile(path, 'utf8')).toBe(full);
  });

  it('text someone else left without a newline is kept and ended, not cut as a torn line; a torn line of two bytes is cut', async () => {
    const path = join(dir, 'crm.jsonl');
    const [a, b] = messages(2);
    await writeFile(path, `${toJsonLines([a])}hand note`);
    const target = new JsonlDestination('crm', path);
    await target.send([b]);
    await target.close();
    expect(await readFile(path, 'utf8')).toBe(`${toJsonLines([a])}hand note\n${toJsonLines([b])}`);
    await writeFile(path, `${toJsonLines([a])}{"`);
    const again = new JsonlDestination('crm', path);
    await again.send([b]);
    await again.close();
    expect(await readFile(path, 'utf8')).toBe(toJsonLines([a, b]));
    // A whole JSON line is kept, even one shaped like roster's; NUL bytes (extended, never written) are cut.
    await writeFile(path, `${toJsonLines([a])}{"type":"custom","n":1}`);
    const third = new JsonlDestination('crm', path);
    await third.send([b]);
    await third.close();
    expect(await readFile(path, 'utf8')).toBe(`${toJsonLines([a])}{"type":"custom","n":1}\n${toJsonLines([b])}`);
    await writeFile(path, Buffer.concat([Buffer.from(toJsonLines([a])), Buffer.alloc(4096)]));
    const fourth = new JsonlDestination('crm', path);
    await fourth.send([b]);
    await fourth.close();
    expect(await readFile(path, 'utf8')).toBe(toJsonLines([a, b]));
  });

  it('roster\'s own whole line left without its newline is ended and found, not sent again', async () => {
    const path = join(dir, 'crm.jsonl');
    const [a, b] = messages(2);
    await writeFile(path, toJsonLines([a, b]).slice(0, -1));
    const target = new JsonlDestination('crm', path);
    expect(await target.alreadyDelivered([a.messageId, b.messageId])).toEqual(new Set([a.messageId, b.messageId]));
    await target.close();
    expect(await readFile(path, 'utf8')).toBe(toJsonLines([a, b]));
  });

  it('a file holding only a half line is emptied before appending', async () => {
    const path = join(dir, 'crm.jsonl');
    await writeFile(path, '{"type":"identify","userId":"u');
    const target = new JsonlDestination('crm', path);
    const [m] = messages(1);
    await target.send([m]);
    await target.close();
    expect(await readFile(path, 'utf8')).toBe(toJsonLines([m]));
  });

  it('scans backwards across chunk boundaries, long lines and multi-byte characters', async () => {
    const path = join(dir, 'crm.jsonl');
    const sent = [...messages(40), ...messages(3, 500, 40)];
    const unicode = JSON.parse(JSON.stringify(messages(1, 0, 99)[0]));
    unicode.traits.plan = 'Zürich — 東京 🚀';
    const all = [...sent, unicode];
    await writeFile(path, '{"other":"tool line"}\nnot json at all\n' + toJsonLines(all));
    const target = new JsonlDestination('crm', path, { chunkBytes: 37 });
    const ids = all.map((m) => m.messageId);
    expect(await target.alreadyDelivered(ids)).toEqual(new Set(ids));
    await target.close();
  });

  it('alreadyDelivered finds what JSON.parse finds: only a top-level messageId, however the line spells it', async () => {
    const path = join(dir, 'crm.jsonl');
    const ids = ['roster-top', 'roster-nested', 'roster-spaced', 'roster-escaped', 'roster-after-trait', 'roster-in-text', 'roster-broken'];
    const lines = [
      '{"type":"identify","traits":{"messageId":"roster-nested"},"messageId":"roster-after-trait"}',
      '{"messageId":"roster-top"}',
      '{ "messageId" :\t"roster-spaced" }',
      '{"message\\u0049d":"roster-\\u0065scaped"}',
      '{"traits":{"note":"\\"messageId\\":\\"roster-in-text\\""}}',
      '{"messageId":"roster-broken"',
      '["messageId","roster-top"]',
    ];
    await writeFile(path, lines.join('\n') + '\n');
    const target = new JsonlDestination('crm', path);
    const found = await target.alreadyDelivered(ids);
    await target.close();
    expect([...found].sort()).toEqual(['roster-after-trait', 'roster-escaped', 'roster-spaced', 'roster-top']);
  });

  it('stops scanning after maxScanLines lines from the end', async () => {
    const path = join(dir, 'crm.jsonl');
    const sent = messages(50);
    await writeFile(path, toJsonLines(sent) + '\n'); // a blank line is not a line that counts
    const lineBytes = Buffer.byteLength(toJsonLines(sent.slice(-1)));
    const target = new JsonlDestination('crm', path, { chunkBytes: lineBytes * 3, maxScanLines: 10 });
    const found = await target.alreadyDelivered(sent.map((m) => m.messageId));
    await target.close();
    // Chunks of about three lines: the scan stops within a chunk past the tenth line.
    for (const m of sent.slice(-10)) expect(found.has(m.messageId)).toBe(true);
    expect(found.size).toBeLessThanOrEqual(10 + 4);
    expect(found.has(sent[0].messageId)).toBe(false);
  });

  it('looks back one whole delivery step by default, and not through the rest of a large file', async () => {
    const path = join(dir, 'crm.jsonl');
    const sent = messages(MAX_DELIVERY_STEP + 3000);
    await writeFile(path, toJsonLines(sent));
    const target = new JsonlDestination('crm', path);
    const found = await target.alreadyDelivered(sent.map((m) => m.messageId));
    await target.close();
    for (const m of sent.slice(-MAX_DELIVERY_STEP)) expect(found.has(m.messageId)).toBe(true);
    expect(found.has(sent[0].messageId)).toBe(false);
    expect(found.size).toBeLessThan(sent.length);
  });

  it('stops scanning after maxScanBytes from the end', async () => {
    const path = join(dir, 'crm.jsonl');
    const sent = messages(50);
    await writeFile(path, toJsonLines(sent));
    const lineBytes = Buffer.byteLength(toJsonLines(sent.slice(-1)));
    const target = new JsonlDestination('crm', path, { chunkBytes: 100, maxScanBytes: lineBytes * 10 });
    const found = await target.alreadyDelivered(sent.map((m) => m.messageId));
    await target.close();
    expect(found.has(sent[49].messageId)).toBe(true);
    expect(found.has(sent[0].messageId)).toBe(false);
    expect(found.size).toBeLessThanOrEqual(10);
    expect(found.size).toBeGreaterThanOrEqual(8);
  });

  it('writes exactly JSON.stringify of each message (U+0085, U+2028, U+2029 escaped) and a newline, across write chunks and multi-byte characters', async () => {
    const path = join(dir, 'crm.jsonl');
    const tricky = ['Zürich — 東京 🚀', 'quote " backslash \\ tab \t', '\u0000\u001f\u2028', 'lone \ud800', 'y'.repeat(300)];
    const sent = messages(tricky.length + 40).map((m, i) => {
      const copy = JSON.parse(JSON.stringify(m));
      copy.traits = { plan: tricky[i % tricky.length], n: i % 3 ? -0 : 1e21, 'key "é"': [i, { z: null, a: true }] };
      return copy;
    });
    // 64-byte chunks: most lines are longer than a chunk, and every line starts a new one.
    const target = new JsonlDestination('crm', path, { writeChunkBytes: 64 });
    await target.send(sent.slice(0, 7));
    await target.send(sent.slice(7));
    await target.close();
    const escaped = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    const expected = sent.map((m) => JSON.stringify(m).replace(/[\u0085\u2028\u2029]/g, escaped) + '\n').join('');
    expect(expected).toContain(String.raw`\u0000\u001f\u2028`);
    expect((await readFile(path)).equals(Buffer.from(expected, 'utf8'))).toBe(true);
    expect(await readFile(path, 'utf8')).toBe(toJsonLines(sent));
  });

  it('a send that failed midway leaves nothing of its batch in the next one', async () => {
    const path = join(dir, 'crm.jsonl');
    const target = new JsonlDestination('crm', path);
    const unsendable = JSON.parse(JSON.stringify(messages(1, 0, 50)[0]));
    unsendable.traits = { n: 1n }; // JSON.stringify throws on a bigint
    const err = await target.send([...messages(2), unsendable]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    const later = messages(3, 0, 100);
    await target.send(later);
    await target.close();
    expect(await readFile(path, 'utf8')).toBe(toJsonLines(later));
  });

  it('a write failure is a retryable DeliveryError naming every message', async () => {
    const path = join(dir, 'is-a-dir');
    await mkdir(path);
    const target = new JsonlDestination('crm', path);
    const sent = messages(2);
    const err = await target.send(sent).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect(err).toMatchObject({ destination: 'crm', retryable: true, failedMessageIds: sent.map((m) => m.messageId) });
    await target.close();
  });

  it('a file it cannot open makes alreadyDelivered a retryable DeliveryError naming the destination and the path', async () => {
    await writeFile(join(dir, 'a-file'), 'x');
    const path = join(dir, 'a-file', 'crm.jsonl'); // its folder is a file
    const target = new JsonlDestination('crm', path);
    const ids = messages(2).map((m) => m.messageId);
    const err = await target.alreadyDelivered(ids).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect(err).toMatchObject({ destination: 'crm', retryable: true, failedMessageIds: ids });
    expect((err as Error).message).toContain(`destination "crm": cannot open or read ${path}: `);
    await target.close();
  });
});
