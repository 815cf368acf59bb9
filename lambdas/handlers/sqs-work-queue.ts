import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { mapConcurrent } from '../shared/concurrency';
import { chunk } from '../store/table';
import type { WorkQueue, WorkUnit } from '../usecases/matchmaker';

/** SendMessageBatch takes at most 10 messages. */
const SQS_BATCH = 10;
const SEND_CONCURRENCY = 8;

/** The body of one work message: the configuration (and part of its pool) a worker invocation runs passes for. */
export type WorkMessage = WorkUnit;

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
