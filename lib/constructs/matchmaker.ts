import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type IEventBus, Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { FilterCriteria, FilterRule, type IDestination, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { matchmakerFunctionSpec, matchmakerWorkerFunctionSpec } from '../../lambdas/routes';
import { validateEventSource } from './event-bus';
import { type FunctionSpec, ServiceFunction } from './service-function';

/** Where the function is described: the route table, beside the HTTP functions. */
export { matchmakerFunctionSpec, matchmakerWorkerFunctionSpec } from '../../lambdas/routes';

/**
 * Seconds a fan-out message stays invisible while a worker has it: six times the worker's
 * timeout, as Lambda's SQS event source asks, so a message is never handed to a second worker
 * while the first still runs (its own lease would keep them apart anyway).
 */
export const WORK_VISIBILITY_FACTOR = 6;
/**
 * Receives before a fan-out message goes to the dead-letter queue. A message is only a nudge
 * (the next minute's dispatch sends another), so a message that failed twice is kept for
 * inspection rather than retried for ever.
 */
export const WORK_MAX_RECEIVES = 2;

/** The default interval, in milliseconds, between matchmaking passes within one invocation. */
export const DEFAULT_MATCHMAKER_INTERVAL_MS = 1000;
/**
 * Allowed pass intervals. Below 100 ms the passes mostly re-read an unchanged pool (DynamoDB
 * reads for nothing); above 2 s tickets wait noticeably longer than with FlexMatch.
 */
export const MATCHMAKER_INTERVAL_RANGE_MS = { min: 100, max: 2000 } as const;
/**
 * The handler starts no pass with less than this much time left, so that a pass (and its
 * conditional writes and PutEvents) finishes before the 60 s timeout kills the invocation.
 */
export const MATCHMAKER_SAFETY_MARGIN_MS = 5000;

/** Throws unless `intervalMs` is a whole number of milliseconds within MATCHMAKER_INTERVAL_RANGE_MS. */
export function validateMatchmakerInterval(intervalMs: number): void {
  if (Token.isUnresolved(intervalMs)) return;
  const { min, max } = MATCHMAKER_INTERVAL_RANGE_MS;
  if (!Number.isInteger(intervalMs) || intervalMs < min || intervalMs > max)
    throw new Error(
      `matchmakerIntervalMs must be a whole number of milliseconds from ${min} to ${max} (the interval between matchmaking passes within one invocation); got ${String(intervalMs)}`,
    );
}

export interface ScheduledMatchmakerProps {
  /** The table holding configurations, rule sets and the ticket pool. */
  readonly table: ITable;
  /** Where the matchmaker publishes matchmaking events. */
  readonly bus: IEventBus;
  /** The `source` of those events; must not start with `aws.`. */
  readonly eventSource: string;
  /** @default DEFAULT_MATCHMAKER_INTERVAL_MS; MATCHMAKER_INTERVAL_RANGE_MS */
  readonly intervalMs?: number;
  /** @default matchmakerFunctionSpec; tests pass a copy */
  readonly spec?: FunctionSpec;
  /** @default matchmakerWorkerFunctionSpec */
  readonly workerSpec?: FunctionSpec;
  /** @default one month */
  readonly logRetention?: RetentionDays;
  /** @default RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;
  /** Where a failed invocation's record goes (the alarm topic). @default none */
  readonly onFailure?: IDestination;
}

/**
 * The matchmaker, scaled out on AWS's own engines: a dispatcher that EventBridge invokes once
 * a minute and that sends one SQS message per configuration (per part of a configuration whose
 * pool is split); workers that take one message each and, for that configuration or part only
 * and under its own lease, run a matchmaking pass every `intervalMs` until close to their
 * timeout, publishing FlexMatch style events to the bus. A worker that splits a pool sends the
 * new parts' messages to the same queue. The
 * table's stream, filtered to tickets written QUEUED, also invokes the workers, which run one
 * pass at once for each configuration with a new ticket (time-to-match does not wait for the
 * interval). Plus an alarm on each function's errors.
 *
 * Scheduled with an aws-events Rule rather than EventBridge Scheduler: the Rule invokes through
 * a Lambda resource-based permission scoped to the rule's ARN, while a Scheduler schedule needs
 * an IAM role whose grantInvoke adds `<function ARN>:*`, one more IAM5 wildcard to acknowledge.
 * Scheduler's extras (time zones, one-off schedules, flexible windows) are of no use for a fixed
 * one-minute rate, and both have the same one-minute granularity.
 *
 * No reserved concurrency: it is not what keeps runs apart. A run normally stops starting passes
 * MATCHMAKER_SAFETY_MARGIN_MS before its timeout, but EventBridge does not promise the second a
 * rule fires, so two runs can overlap; a DynamoDB lease per matchmaking configuration keeps them
 * off the same configuration. A reservation would only take concurrency from the account's pool.
 */
export class ScheduledMatchmaker extends Construct {
  /** The scheduled dispatcher: one work message per configuration each minute. */
  readonly service: ServiceFunction;
  /** The workers: a configuration's passes for a fan-out message, or one pass per new-ticket batch of the stream. */
  readonly worker: ServiceFunction;
  readonly workQueue: Queue;
  readonly workDeadLetters: Queue;
  readonly schedule: Rule;
  /** Has no action: attach one (an SNS topic, a pager) where the deployment has one. */
  readonly errorsAlarm: Alarm;
  /** Worker failures; no action either. */
  readonly workerErrorsAlarm: Alarm;

  constructor(scope: Construct, id: string, props: ScheduledMatchmakerProps) {
    super(scope, id);
    const spec = props.spec ?? matchmakerFunctionSpec;
    const intervalMs = props.intervalMs ?? DEFAULT_MATCHMAKER_INTERVAL_MS;
    validateEventSource(props.eventSource);
    validateMatchmakerInterval(intervalMs);

    const workerSpec = props.workerSpec ?? matchmakerWorkerFunctionSpec;
    const matchmakerEnvironment = {
      EVENT_BUS_NAME: props.bus.eventBusName,
      EVENT_SOURCE: props.eventSource,
      MATCHMAKER_INTERVAL_MS: String(intervalMs),
      MATCHMAKER_SAFETY_MARGIN_MS: String(MATCHMAKER_SAFETY_MARGIN_MS),
    };

    // The fan-out: SQS-managed encryption (no key to administer), TLS only, a dead-letter queue.
    this.workDeadLetters = new Queue(this, 'WorkDeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(4),
    });
    this.workQueue = new Queue(this, 'WorkQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(workerSpec.timeoutSeconds * WORK_VISIBILITY_FACTOR),
      // A message older than this is stale: later dispatches have sent fresher ones.
      retentionPeriod: Duration.minutes(15),
      deadLetterQueue: { queue: this.workDeadLetters, maxReceiveCount: WORK_MAX_RECEIVES },
    });

    this.service = new ServiceFunction(this, spec.name, {
      spec,
      logRetention: props.logRetention ?? RetentionDays.ONE_MONTH,
      logRemovalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
      environment: { ...matchmakerEnvironment, WORK_QUEUE_URL: this.workQueue.queueUrl },
    });
    const fn = this.service.function;
    // The dispatcher reads configuration names only, and sends to the work queue.
    this.service.useTable(props.table);
    this.workQueue.grantSendMessages(fn);

    this.worker = new ServiceFunction(this, workerSpec.name, {
      spec: workerSpec,
      otherWildcardAction: { action: 'dynamodb:ListStreams', why: "the table stream's event source mapping" },
      logRetention: props.logRetention ?? RetentionDays.ONE_MONTH,
      logRemovalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
      // A worker that splits a configuration's pool sends the new parts' messages at once.
      environment: { ...matchmakerEnvironment, WORK_QUEUE_URL: this.workQueue.queueUrl },
    });
    const worker = this.worker.function;
    this.worker.useTable(props.table);
    this.workQueue.grantSendMessages(worker);
    // events:PutEvents on this bus only (no bus policy needed: same account).
    props.bus.grantPutEventsTo(worker);
    // One configuration per invocation: configurations never wait for each other.
    worker.addEventSource(
      new SqsEventSource(this.workQueue, { batchSize: 1, reportBatchItemFailures: true }),
    );
    // New tickets: every write that leaves a ticket QUEUED (a new ticket, or its last invitee
    // joining) starts a pass for its configuration at once; the filter keeps every other write
    // of the table (passes, locks, outbox) from invoking anything.
    worker.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.LATEST,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(0),
        // Several batches of one stream shard at once: a burst of arrivals is not serialized.
        parallelizationFactor: 10,
        // A failed batch is not worth holding the shard for: the scheduled workers see the ticket.
        retryAttempts: 0,
        maxRecordAge: Duration.seconds(60),
        filters: [
          FilterCriteria.filter({
            dynamodb: {
              NewImage: {
                sk: { S: FilterRule.isEqual('TICKET') },
                status: { S: FilterRule.isEqual('QUEUED') },
              },
            },
          }),
        ],
      }),
    );

    // Lambda would retry a failed asynchronous invocation twice and keep an undeliverable one
    // for up to 6 hours. Neither helps here: the scheduled event carries no data, and the next
    // minute's run rereads the pool and does whatever a failed run left undone, so a retry
    // would only overlap with it. Hence no DLQ (there is nothing to redrive); the on-failure
    // destination only tells people (the alarm topic), with the error, at once.
    fn.configureAsyncInvoke({
      maxEventAge: Duration.minutes(2),
      retryAttempts: 0,
      ...(props.onFailure ? { onFailure: props.onFailure } : {}),
    });

    this.schedule = new Rule(this, 'Schedule', {
      description: 'Runs the slotfill matchmaker every minute',
      // The minimum rate EventBridge supports; the function covers the rest of the minute
      // with passes every intervalMs. Schedule rules live on the default bus, not slotfill's.
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [new LambdaFunction(fn, { retryAttempts: 0 })],
    });

    this.workerErrorsAlarm = new Alarm(this, 'WorkerErrorsAlarm', {
      alarmDescription:
        'slotfill matchmaker workers: 5 or more failed invocations in 5 minutes. Passes are failing; see the worker logs.',
      metric: worker.metricErrors({ period: Duration.minutes(5), statistic: Stats.SUM }),
      threshold: 5,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    this.errorsAlarm = new Alarm(this, 'ErrorsAlarm', {
      alarmDescription:
        'slotfill matchmaker: 3 or more failed runs in 5 minutes. Tickets are not being matched; see the function logs.',
      // One run a minute: 3 failures of 5 runs is a persistent fault, not a single bad pass.
      metric: fn.metricErrors({ period: Duration.minutes(5), statistic: Stats.SUM }),
      threshold: 3,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // No datapoint means no invocation in the period (the metric is 0 for clean runs),
      // which is not an error of the function.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }

  get functionName(): string {
    return this.service.function.functionName;
  }
}
