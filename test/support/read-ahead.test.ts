import { describe, expect, it } from 'vitest';
import { readAhead } from '../../src/support/read-ahead.js';

/** A source that logs when each item's fetch starts and ends, and whether it was closed. */
function loggedSource(items: readonly number[], failAt?: number) {
  const log: string[] = [];
  async function* source(): AsyncGenerator<number> {
    try {
      for (const [i, item] of items.entries()) {
        log.push(`fetch ${item}`);
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (i === failAt) throw new Error(`fetch ${item} failed`);
        log.push(`got ${item}`);
        yield item;
      }
    } finally {
      log.push('closed');
    }
  }
  return { log, source: source() };
}

describe('readAhead', () => {
  it('yields every item in order, fetching the next while the caller works on one', async () => {
    const { log, source } = loggedSource([1, 2, 3]);
    const seen: number[] = [];
    for await (const { value, fetched } of readAhead(source)) {
      log.push(`work ${value}`);
      await fetched();
      log.push(`idle after ${value}`);
      seen.push(value);
    }
    expect(seen).toEqual([1, 2, 3]);
    expect(log).toEqual([
      'fetch 1', 'got 1', 'fetch 2', 'work 1', 'got 2', 'idle after 1',
      'fetch 3', 'work 2', 'got 3', 'idle after 2',
      // Asking past the last item ends the source while the caller works on that item.
      'closed', 'work 3', 'idle after 3',
    ]);
  });

  it('leaving early waits for the fetch under way, then closes the source', async () => {
    const { log, source } = loggedSource([1, 2, 3]);
    for await (const { value } of readAhead(source)) {
      log.push(`work ${value}`);
      break;
    }
    log.push('left');
    expect(log).toEqual(['fetch 1', 'got 1', 'fetch 2', 'work 1', 'got 2', 'closed', 'left']);
  });

  it('a failed fetch is thrown with the next item, and nothing is left unhandled meanwhile', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const { log, source } = loggedSource([1, 2, 3], 1);
      const seen: number[] = [];
      await expect((async () => {
        for await (const { value } of readAhead(source)) {
          // The fetch of 2 fails while 1 is worked on, for longer than a tick.
          await new Promise((resolve) => setTimeout(resolve, 20));
          seen.push(value);
        }
      })()).rejects.toThrow('fetch 2 failed');
      expect(seen).toEqual([1]);
      expect(log).toEqual(['fetch 1', 'got 1', 'fetch 2', 'closed']);
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('a caller that throws closes the source too', async () => {
    const { log, source } = loggedSource([1, 2]);
    await expect((async () => {
      for await (const { value } of readAhead(source)) throw new Error(`work ${value} failed`);
    })()).rejects.toThrow('work 1 failed');
    expect(log.at(-1)).toBe('closed');
  });
});
