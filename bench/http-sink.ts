import { fork, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';

/**
 * A local Segment-compatible batch endpoint for the delivery benchmark: it parses each
 * `{batch: [...]}` body, counts the messages and answers 200. It runs in a child process so
 * its memory and CPU are not the measured process's (the child competes for the same cores,
 * as a real local sink would).
 */
export interface HttpSink {
  readonly url: string;
  received(): Promise<number>;
  close(): Promise<void>;
}

export async function startHttpSink(): Promise<HttpSink> {
  const child: ChildProcess = fork(import.meta.filename, ['--serve'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`the http sink exited (${code})`)));
  });
  const url = `http://127.0.0.1:${port}/v1/batch`;
  return {
    url,
    async received() {
      const r = await fetch(`http://127.0.0.1:${port}/count`);
      return Number(await r.text());
    },
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      await exited;
    },
  };
}

function serve(): void {
  let count = 0;
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/count') {
      res.end(String(count));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { batch?: unknown[] };
        count += body.batch?.length ?? 0;
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"success":true}');
      } catch {
        res.writeHead(400).end('{"success":false}');
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
  });
}

if (process.argv.includes('--serve')) serve();
