import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { mapConcurrent } from '../shared/concurrency';
import { chunk } from '../store/table';
import type { WorkQueue } from '../usecases/matchmaker';

/** SendMessageBatch takes at most 10 messages. */
const SQS_BATCH = 10;
const SEND_CONCURRENCY = 8;

/** The body of one work message: the configuration a worker invocation runs passes for. */
export interface WorkMessage {
  configurationName: string;
}

/** The dispatcher's queue: one SQS message per configuration, sent 10 to a call, a few calls at once. */
export class SqsWorkQueue implements WorkQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(configurationNames: string[]): Promise<{ failed: string[] }> {
    const failed: string[] = [];
    await mapConcurrent(chunk(configurationNames, SQS_BATCH), SEND_CONCURRENCY, async (names) => {
      try {
        const result = await this.client.send(
          new SendMessageBatchCommand({
            QueueUrl: this.queueUrl,
            Entries: names.map((configurationName, index) => ({
              Id: String(index),
              MessageBody: JSON.stringify({ configurationName } satisfies WorkMessage),
            })),
          }),
        );
        for (const entry of result.Failed ?? []) failed.push(names[Number(entry.Id)] ?? '');
      } catch {
        // The next scheduled dispatch sends them again; a missed minute only delays timeouts.
        failed.push(...names);
      }
    });
    return { failed };
  }
}
