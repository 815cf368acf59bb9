/**
 * Runs `work` over `items` with at most `limit` calls in flight, and returns the results in
 * the items' order. Bounded rather than all at once: a pass over thousands of tickets must not
 * open thousands of DynamoDB requests (sockets, throttling) at the same moment.
 *
 * After a failure no further item starts, and the first error is thrown only once the calls
 * in flight have settled: when this returns or throws, none of its writes is still running
 * (a pass that failed must not keep writing after its caller moved on, or past its lease).
 */
export async function mapConcurrent<Item, Result>(
  items: readonly Item[],
  limit: number,
  work: (item: Item, index: number) => Promise<Result>,
): Promise<Result[]> {
  const results = new Array<Result>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && failure === undefined) {
      const index = next++;
      try {
        results[index] = await work(items[index]!, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure) throw failure.error;
  return results;
}
