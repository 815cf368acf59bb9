import { keys } from './keys';

/**
 * The outbox partitions this process's writes committed events to since a publisher last took
 * them, per table and configuration. A publisher in the same process as every writer of its
 * table (the local service run from sources: its API handlers and matchmaker share one process)
 * can read just these partitions instead of all sixteen, since an event this process committed
 * is noted before anyone can take the note after it. Nothing else can know what other
 * processes wrote, so such a publisher still reads every partition now and then (docs/scaling.md).
 */
// One per process even if a loader gives this module more than one instance (the local service
// requires its handlers' code itself, beside the service's own imports).
const registry = Symbol.for('slotfill.outboxWrites');
const holder = globalThis as { [registry]?: Map<string, Set<number>> };
const written: Map<string, Set<number>> = holder[registry] ?? new Map();
holder[registry] = written;

const keyOf = (tableName: string, configurationName: string) => `${tableName}\u0000${configurationName}`;

/** Notes the outbox partitions of a committed transaction's items. */
export function noteOutboxWrites(
  tableName: string,
  items: ReadonlyArray<{ Put?: { Item?: Record<string, unknown> } }>,
): void {
  for (const item of items) {
    const pk = item.Put?.Item?.pk;
    const partition = typeof pk === 'string' ? keys.outboxPartitionOf(pk) : undefined;
    if (!partition) continue;
    const key = keyOf(tableName, partition.configurationName);
    const shards = written.get(key) ?? new Set<number>();
    shards.add(partition.shard);
    written.set(key, shards);
  }
}

/** The shards noted for the configuration since the last call, in order; the notes are cleared. */
export function takeOutboxWrites(tableName: string, configurationName: string): number[] {
  const key = keyOf(tableName, configurationName);
  const shards = written.get(key);
  written.delete(key);
  return shards ? [...shards].sort((a, b) => a - b) : [];
}
