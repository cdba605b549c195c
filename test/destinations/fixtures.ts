import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { Destination } from '../../src/definitions/project-config.js';
import type { AddressInfo } from 'node:net';
import { renderMessage, type SegmentMessage } from '../../src/emit/index.js';

const AS_OF = '2024-06-01T00:00:00.000Z';
const target = { name: 't', events: { audience_entered: 'Audience Entered', audience_exited: 'Audience Exited', trait_computed: 'Trait Computed' } };

/** `n` distinct identify messages (u0, u1, ...), with optional padding to make them large. */
export function messages(n: number, padBytes = 0, from = 0): SegmentMessage[] {
  return Array.from({ length: n }, (_, i) => renderMessage({
    definitionKey: 'plan', definitionKind: 'sql_trait', computationClass: 'trait', call: 'identify', kind: 'changed',
    userId: `u${from + i}`, values: padBytes > 0 ? { plan: 'pro', note: 'x'.repeat(padBytes) } : { plan: 'pro' },
    asOf: AS_OF, entity: 'user',
  }, target));
}

/** What the scripted server answers to one request; 'hang' never answers; a function answers by what it received. */
type FixedReply = { status: number; headers?: Record<string, string>; body?: string } | 'hang';
export type Reply = FixedReply | ((received: Received) => FixedReply);

export interface Received {
  readonly body: { batch: SegmentMessage[]; sentAt: string };
  readonly headers: IncomingHttpHeaders;
  readonly at: number;
  /** The status it was answered with (undefined when it hung). */
  status?: number;
}

/** A real HTTP server on 127.0.0.1 answering each request with the next scripted reply (the last one repeats). */
export async function scriptedServer(replies: Reply[]): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry: Received = { body: JSON.parse(Buffer.concat(chunks).toString('utf8')), headers: req.headers, at: Date.now() };
      received.push(entry);
      const scripted = replies[Math.min(received.length - 1, replies.length - 1)];
      const reply = typeof scripted === 'function' ? scripted(entry) : scripted;
      if (reply === 'hang') {
        hanging.push(res);
        return;
      }
      entry.status = reply.status;
      res.writeHead(reply.status, { 'Content-Type': 'application/json', ...reply.headers });
      res.end(reply.body ?? '{"success":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/batch`,
    received,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** Ids of every message in requests answered with 2xx, in arrival order. */
export function acceptedIds(received: readonly Received[]): string[] {
  return received.filter((r) => r.status !== undefined && r.status < 300).flatMap((r) => r.body.batch.map((m) => m.messageId));
}

const DEFAULT_EVENTS = { audience_entered: 'Audience Entered', audience_exited: 'Audience Exited', trait_computed: 'Trait Computed' };
const CALLS: ('group' | 'identify' | 'track')[] = ['group', 'identify', 'track'];

/** roster.yml destinations with the schema's defaults filled in (as Destination.parse would). */
export const config = {
  jsonl: (name: string, path: string): Destination => ({ name, type: 'jsonl', path, calls: CALLS, events: DEFAULT_EVENTS }),
  stdout: (name: string): Destination => ({ name, type: 'stdout', calls: CALLS, events: DEFAULT_EVENTS }),
  http: (name: string, url: string, over: { write_key?: string; timeout_ms?: number; max_retries?: number } = {}): Destination => ({
    name, type: 'http', url, calls: CALLS, events: DEFAULT_EVENTS, timeout_ms: 10_000, max_retries: 5, ...over,
  }),
};
