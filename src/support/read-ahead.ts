/** One item of `readAhead`, with the fetch of the item after it already under way. */
export interface AheadItem<T> {
  readonly value: T;
  /**
   * Resolves once the fetch of the next item has finished, whether it succeeded or not (its
   * outcome comes with the next item). A caller that shares the source's connection waits for
   * this before running statements of its own, so they never overlap a fetch.
   */
  readonly fetched: () => Promise<void>;
}

/**
 * Yields what `source` yields, asking for the next item as soon as one is handed out: the
 * warehouse reads a delivery's next batch while this one is rendered and written.
 * Leaving early waits for the fetch under way, then closes `source`.
 */
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<AheadItem<T>> {
  const it = source[Symbol.asyncIterator]();
  let next = it.next();
  try {
    for (;;) {
      const current = await next;
      if (current.done) return;
      const pending = (next = it.next());
      // Handled here, so a failed fetch is not an unhandled rejection while the caller works: it
      // is still thrown by `await next` above, or dropped when the caller leaves early.
      pending.catch(() => undefined);
      const fetched = () => pending.then(() => undefined, () => undefined);
      yield { value: current.value, fetched };
    }
  } finally {
    const last = await next.then((r) => r, () => ({ done: true }));
    if (!last.done) await it.return?.(undefined);
  }
}
