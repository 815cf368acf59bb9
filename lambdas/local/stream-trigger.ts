import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';

/** The event source mapping's filter in AWS (lib/constructs/matchmaker.ts): a ticket written QUEUED. */
export function isQueuedTicketRecord(record: StreamRecord): boolean {
  const image = record.dynamodb?.NewImage;
  return image?.sk?.S === 'TICKET' && image.status?.S === 'QUEUED';
}

/** How often an idle trigger asks the stream for new records, and looks for new shards. */
const POLL_MS = 100;
const DISCOVER_MS = 5000;
const RECORDS_PER_CALL = 100;

/**
 * The local stand-in for the table stream's event source mapping, for the Lambda bundles (which
 * run in processes of their own, out of reach of the in-process wake-up): polls DynamoDB
 * Local's stream from the moment it starts, keeps the records AWS's filter would keep, and
 * hands each batch to `deliver` (the worker bundle), one batch at a time. A failed delivery is
 * reported and dropped, as the mapping does with no retries: the timer's sweep is the net.
 */
export class LocalStreamTrigger {
  private stopped = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly dynamodb: DynamoDBClient,
    private readonly streams: DynamoDBStreamsClient,
    private readonly tableName: string,
    private readonly deliver: (records: StreamRecord[]) => Promise<void>,
    private readonly reportError: (error: unknown) => void,
  ) {}

  /** Resolves once the trigger reads the stream: writes from then on are delivered. */
  async start(): Promise<void> {
    const table = await this.dynamodb.send(new DescribeTableCommand({ TableName: this.tableName }));
    const streamArn = table.Table?.LatestStreamArn;
    if (!streamArn) throw new Error(`table ${this.tableName} has no stream`);
    const iterators = new Map<string, string>();
    const known = new Set<string>();
    await this.discover(streamArn, iterators, known, 'LATEST');
    this.loop = this.poll(streamArn, iterators, known).catch(this.reportError);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  /** Adds the shards not seen yet: at start from their latest record, later ones from their first. */
  private async discover(
    streamArn: string,
    iterators: Map<string, string>,
    known: Set<string>,
    position: 'LATEST' | 'TRIM_HORIZON',
  ): Promise<void> {
    const stream = await this.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of stream.StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId;
      if (!shardId || known.has(shardId)) continue;
      known.add(shardId);
      // A shard closed before the trigger started holds nothing new.
      if (position === 'LATEST' && shard.SequenceNumberRange?.EndingSequenceNumber) continue;
      const { ShardIterator } = await this.streams.send(
        new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: position }),
      );
      if (ShardIterator) iterators.set(shardId, ShardIterator);
    }
  }

  private async poll(streamArn: string, iterators: Map<string, string>, known: Set<string>): Promise<void> {
    let discoveredAt = Date.now();
    while (!this.stopped) {
      const batch: StreamRecord[] = [];
      for (const [shardId, iterator] of [...iterators]) {
        const page = await this.streams.send(
          new GetRecordsCommand({ ShardIterator: iterator, Limit: RECORDS_PER_CALL }),
        );
        batch.push(...(page.Records ?? []).filter(isQueuedTicketRecord));
        if (page.NextShardIterator) iterators.set(shardId, page.NextShardIterator);
        else iterators.delete(shardId); // closed: its children are found below
      }
      if (iterators.size === 0 || Date.now() - discoveredAt >= DISCOVER_MS) {
        await this.discover(streamArn, iterators, known, 'TRIM_HORIZON');
        discoveredAt = Date.now();
      }
      if (batch.length > 0) {
        await this.deliver(batch).catch(this.reportError);
        continue;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, POLL_MS);
      });
    }
  }
}
