import { describe, expect, it } from 'vitest';
import { DeliveryError, openDestination, type LineSink } from '../../src/destinations/index.js';
import { config, messages } from './fixtures.js';

describe('stdout destination', () => {
  it('writes one JSON line per message to the stream', async () => {
    const chunks: string[] = [];
    const sink: LineSink = { write: (chunk, cb) => { chunks.push(chunk); cb(); return true; } };
    const target = openDestination(config.stdout('console'), '/nowhere', { stdout: sink });
    const sent = messages(3);
    await target.send(sent);
    expect(chunks.join('').split('\n')).toEqual([...sent.map((m) => JSON.stringify(m)), '']);
    expect(await target.alreadyDelivered(sent.map((m) => m.messageId))).toEqual(new Set());
  });

  it('a write error is a DeliveryError naming the messages', async () => {
    const sink: LineSink = { write: (_chunk, cb) => { cb(new Error('EPIPE')); return false; } };
    const target = openDestination(config.stdout('console'), '/nowhere', { stdout: sink });
    const sent = messages(1);
    await expect(target.send(sent)).rejects.toBeInstanceOf(DeliveryError);
    await expect(target.send(sent)).rejects.toMatchObject({ failedMessageIds: [sent[0].messageId], retryable: true, rejectedMessageIds: [] });
  });
});

describe('stdout destination on a closed pipe', () => {
  it('an EPIPE becomes a DeliveryError, not a crash of the process', async () => {
    const { Writable } = await import('node:stream');
    const { StdoutDestination } = await import('../../src/destinations/stdout-destination.js');
    const { DeliveryError } = await import('../../src/destinations/delivery-target.js');
    const closed = new Writable({
      write(_chunk, _enc, cb) {
        cb(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const target = new StdoutDestination('out', closed);
    const message = { type: 'identify', userId: 'u1', traits: {}, timestamp: '2024-06-01T00:00:00.000Z', messageId: 'm1', context: { personas: { computation_class: 'trait', computation_key: 'k' } } } as const;
    await expect(target.send([message as never])).rejects.toBeInstanceOf(DeliveryError);
  });
});
