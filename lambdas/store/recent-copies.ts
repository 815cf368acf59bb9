/**
 * Items one store read lately, for readers that accept a copy of a given age instead of a
 * round trip: hot paths read a few small items (a configuration per new ticket, a pool's split
 * per matchmaker turn) far more often than anyone changes them. The store's own writes forget
 * their item, and a read that overlapped one of them keeps no copy, so within one process a
 * reader never sees an item older than that process's last change; only another process's
 * change can be missed, for at most the age the reader allows. Ages are on the monotonic clock.
 */
export class RecentCopies<T> {
  private readonly copies = new Map<string, { value: T; readAt: number }>();
  /** Bumped by every write: a read that started before it keeps no copy. */
  private writes = 0;

  /** @param capacity copies kept at most; past it the store starts over (a cache, not a registry). */
  constructor(private readonly capacity = 1000) {}

  /**
   * The copy read at most `maxAgeMs` ago (never, when the reader gives no age); otherwise
   * `readItem`'s answer, kept unless a write of this store overlapped the read.
   */
  async get(
    key: string,
    maxAgeMs: number | undefined,
    readItem: () => Promise<T | undefined>,
  ): Promise<T | undefined> {
    const copy = this.copies.get(key);
    if (copy && maxAgeMs !== undefined && performance.now() - copy.readAt <= maxAgeMs) return copy.value;
    const writesBefore = this.writes;
    const readAt = performance.now();
    const value = await readItem();
    if (value === undefined) this.copies.delete(key);
    else if (this.writes === writesBefore) {
      if (this.copies.size >= this.capacity) this.copies.clear();
      this.copies.set(key, { value, readAt });
    }
    return value;
  }

  /** A write of this store: no copy of its item read before the write ends is kept. */
  async writing<R>(key: string, write: () => Promise<R>): Promise<R> {
    this.forget(key);
    try {
      return await write();
    } finally {
      this.forget(key);
    }
  }

  private forget(key: string): void {
    this.writes++;
    this.copies.delete(key);
  }
}
