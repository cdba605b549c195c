import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import path from 'node:path';
import { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PostgresWarehouse } from '../../src/warehouse/postgres-runner.js';
import { forNodePostgres, parsePostgresUrl } from '../../src/warehouse/postgres-url.js';
import { WarehouseError } from '../../src/warehouse/warehouse.js';

/*
 * Real TCP servers on 127.0.0.1 that misbehave as a Postgres endpoint can: one never answers,
 * one asks for a password and quotes it back in its error (as some proxies do).
 */
let servers: Server[] = [];
let sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets) s.destroy();
  for (const s of servers) await new Promise((resolve) => s.close(resolve));
  [servers, sockets] = [[], []];
});

async function listen(onSocket: (socket: Socket) => void): Promise<number> {
  const server = createServer((socket) => {
    sockets.push(socket);
    onSocket(socket);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A backend message: type byte, int32 length (itself included), body. */
function message(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'ascii');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

describe('connecting to Postgres', () => {
  it('gives up after connect_timeout on a server that accepts the connection and never answers', async () => {
    const port = await listen(() => undefined);
    const started = Date.now();
    const err = await PostgresWarehouse.connect(`postgres://u:pw@127.0.0.1:${port}/db?connect_timeout=1`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WarehouseError);
    expect((err as Error).message).toMatch(new RegExp(`^cannot connect to Postgres at 127.0.0.1:${port}/db: .*timeout`, 'i'));
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it.each([
    ['in the URL', (port: number, secret: string) => `postgres://u:${encodeURIComponent(secret)}@127.0.0.1:${port}/db`, false],
    ['as ?password= of the URL', (port: number, secret: string) => `postgres://u@127.0.0.1:${port}/db?password=${encodeURIComponent(secret)}`, false],
    ['in PGPASSWORD', (port: number) => `postgres://u@127.0.0.1:${port}/db`, true],
  ])('never repeats the password given %s, even when the server quotes it in its error', async (_, url, inEnv) => {
    const secret = 'Sup3r/Secret pw';
    const port = await listen((socket) => {
      let asked = false;
      socket.on('data', () => {
        if (!asked) {
          asked = true;
          const cleartext = Buffer.alloc(4);
          cleartext.writeInt32BE(3); // AuthenticationCleartextPassword
          socket.write(message('R', cleartext));
          return;
        }
        const fields = Buffer.from(`SFATAL\0C28P01\0Mpassword authentication failed for user "u" (got ${secret})\0\0`, 'utf8');
        socket.end(message('E', fields));
      });
    });
    const saved = process.env.PGPASSWORD;
    if (inEnv) process.env.PGPASSWORD = secret;
    const err = await PostgresWarehouse.connect(url(port, secret)).catch((e: unknown) => e).finally(() => {
      if (saved === undefined) delete process.env.PGPASSWORD;
      else process.env.PGPASSWORD = saved;
    });
    expect(err).toBeInstanceOf(WarehouseError);
    expect((err as Error).message).toBe(`cannot connect to Postgres at 127.0.0.1:${port}/db: password authentication failed for user "u" (got [redacted])`);
  });

  /** An SSLRequest: length 8, then the code 80877103. */
  const isSslRequest = (data: Buffer) => data.length === 8 && data.readInt32BE(4) === 80877103;
  /** Ends a connection with a FATAL error naming how it was reached: the client got that far. */
  const reached = (socket: Socket | TLSSocket, how: string) => socket.end(message('E', Buffer.from(`SFATAL\0C28000\0Mreached ${how}\0\0`, 'utf8')));

  it('reads sslmode as libpq (psql) does: require encrypts without verifying the certificate', async () => {
    const tls = path.join(import.meta.dirname, '../fixtures/tls');
    const port = await listen((socket) => {
      socket.once('data', (data) => {
        if (!isSslRequest(data)) return reached(socket, 'without TLS');
        socket.write('S');
        const secure = new TLSSocket(socket, { isServer: true, key: readFileSync(path.join(tls, 'self-signed.key')), cert: readFileSync(path.join(tls, 'self-signed.crt')) });
        secure.once('data', () => reached(secure, 'over TLS'));
      });
    });
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const err = await PostgresWarehouse.connect(`postgres://u@127.0.0.1:${port}/db?sslmode=require`).catch((e: unknown) => e);
      expect((err as Error).message).toBe(`cannot connect to Postgres at 127.0.0.1:${port}/db: reached over TLS`);
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => w.includes('SECURITY WARNING'))).toEqual([]);
  });

  it('sslmode=prefer connects in plain to a server without TLS, as libpq does', async () => {
    const port = await listen((socket) => {
      socket.once('data', (data) => (isSslRequest(data) ? socket.write('N') : reached(socket, 'without TLS')));
    });
    const err = await PostgresWarehouse.connect(`postgres://u@127.0.0.1:${port}/db?sslmode=prefer`).catch((e: unknown) => e);
    expect((err as Error).message).toBe(`cannot connect to Postgres at 127.0.0.1:${port}/db: reached without TLS`);
  });

  it('reads a URL whose host is a Unix socket folder in the query, as libpq writes it', () => {
    const u = parsePostgresUrl('postgres://me:s3cret@/analytics?host=/var/run/postgresql');
    expect([u?.username, u?.password, u?.pathname, u?.searchParams.get('host')]).toEqual(['me', 's3cret', '/analytics', '/var/run/postgresql']);
    expect(parsePostgresUrl('mysql://me@db/analytics')).toBeUndefined();
    expect(parsePostgresUrl('not a url')).toBeUndefined();
  });

  it('hands node-postgres the URL as libpq would read it', () => {
    // No sslmode: as written.
    expect(forNodePostgres('postgres://u@db:5432/a')).toBe('postgres://u@db:5432/a');
    expect(forNodePostgres('postgres://u@db/a?sslmode=require')).toBe('postgres://u@db/a?sslmode=require&uselibpqcompat=true');
    // allow is plain first; a Unix socket never speaks TLS, whatever sslmode says.
    expect(forNodePostgres('postgres://u@db/a?sslmode=allow')).toBe('postgres://u@db/a?sslmode=disable&uselibpqcompat=true');
    expect(forNodePostgres('postgres://u@/a?host=/var/run/postgresql&sslmode=require')).toBe('postgres://u@/a?host=/var/run/postgresql&sslmode=disable&uselibpqcompat=true');
    // A socket of another port: a host node-postgres can parse, which the query's host= overrides.
    expect(forNodePostgres('postgres://u@:5433/a?host=/var/run/postgresql')).toBe('postgres://u@localhost:5433/a?host=/var/run/postgresql');
    // No host at all: libpq's default socket, without TLS. A #fragment stays last.
    expect(forNodePostgres('postgres://u@/a?sslmode=require')).toBe('postgres://u@/a?sslmode=disable&uselibpqcompat=true');
    expect(forNodePostgres('postgres://u@db/a?sslmode=require#x')).toBe('postgres://u@db/a?sslmode=require&uselibpqcompat=true#x');
  });
});
