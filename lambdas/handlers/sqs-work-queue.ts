import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { mapConcurrent } from '../shared/concurrency';
import { chunk } from '../store/table';
import { partsOf, type WorkQueue, type WorkUnit } from '../usecases/matchmaker';

/** SendMessageBatch takes at most 10 messages. */
const SQS_BATCH = 10;
const SEND_CONCURRENCY = 8;

/** The body of one work message: the configuration (and part of its pool) a worker invocation runs passes for. */
export type WorkMessage = WorkUnit;

/**
 * The work unit of a message body; undefined for a body that is not one (or names no part of
 * its split). Messages from before pools were split name a configuration only: its whole pool.
 * Checked by hand rather than with a zod schema: this is the worker's only input it parses, and
 * zod at init put MatchmakerWorker over its cold-start target (bundle benchmark, README).
 */
export function workMessageOf(body: string): WorkUnit | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const { configurationName, split = 1, part = 0 } = json as Partial<Record<keyof WorkMessage, unknown>>;
  if (typeof configurationName !== 'string' || configurationName.length === 0) return undefined;
  if (!isWholeNumberFrom(split, 1)) return undefined;
  if (part !== 'merge' && !isWholeNumberFrom(part, 0)) return undefined;
  if (!partsOf(split).includes(part)) return undefined;
  return { configurationName, split, part };
}

function isWholeNumberFrom(value: unknown, least: number): value is number {
  return Number.isSafeInteger(value) && (value as number) >= least;
}

/** The dispatcher's queue: one SQS message per work unit, sent 10 to a call, a few calls at once. */
export class SqsWorkQueue implements WorkQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(units: WorkUnit[]): Promise<{ failed: WorkUnit[] }> {
    const failed: WorkUnit[] = [];
    await mapConcurrent(chunk(units, SQS_BATCH), SEND_CONCURRENCY, async (batch) => {
      try {
        const result = await this.client.send(
          new SendMessageBatchCommand({
            QueueUrl: this.queueUrl,
            Entries: batch.map((unit, index) => ({
              Id: String(index),
              MessageBody: JSON.stringify(unit satisfies WorkMessage),
            })),
          }),
        );
        for (const entry of result.Failed ?? []) {
          const unit = batch[Number(entry.Id)];
          if (unit) failed.push(unit);
        }
      } catch {
        // The next scheduled dispatch sends them again; a missed minute only delays timeouts.
        failed.push(...batch);
      }
    });
    return { failed };
  }
}
