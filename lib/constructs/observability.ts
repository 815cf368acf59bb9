import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  Stats,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { type ITable, Operation } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { DestinationConfig, IDestination, IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { API_METRICS, MATCHMAKER_METRICS } from '../../lambdas/shared/metric-names';

/** Where the functions emit their metrics (ServiceFunction's POWERTOOLS_* variables). */
export const METRICS_NAMESPACE = 'Slotfill';
const SERVICE_DIMENSION = { service: 'slotfill' };
/** @see ObservabilityProps.timeToMatchThresholdSeconds */
export const DEFAULT_TIME_TO_MATCH_THRESHOLD_SECONDS = 60;

/**
 * The topic every slotfill alarm and the matchmaker's failed invocations go to. Encrypted with
 * a key of its own: CloudWatch can't publish to a topic under the AWS-managed aws/sns key.
 * Subscribe e-mail, chat or a pager to it.
 */
export class AlarmTopic extends Construct {
  readonly topic: Topic;
  readonly key: Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      description: 'Encrypts the slotfill alarm topic',
      enableKeyRotation: true,
    });
    this.key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
      }),
    );
    this.topic = new Topic(this, 'Topic', {
      displayName: 'slotfill alarms',
      masterKey: this.key,
      enforceSSL: true,
    });
  }
}

/**
 * A Lambda on-failure destination publishing to the alarm topic. Unlike SnsDestination (whose
 * grantPublish adds `kms:GenerateDataKey*`, a wildcard cdk-nag flags), it grants the two exact
 * actions SNS needs from a publisher to an encrypted topic.
 */
export class AlarmTopicDestination implements IDestination {
  constructor(private readonly alarmTopic: AlarmTopic) {}

  bind(_scope: Construct, fn: IFunction): DestinationConfig {
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['sns:Publish'], resources: [this.alarmTopic.topic.topicArn] }),
    );
    this.alarmTopic.key.grant(fn, 'kms:Decrypt', 'kms:GenerateDataKey');
    return { destination: this.alarmTopic.topic.topicArn };
  }
}

export interface ObservabilityProps {
  readonly topic: Topic;
  readonly matchmaker: IFunction;
  /** Every function behind the HTTP API. */
  readonly apiFunctions: readonly IFunction[];
  readonly table: ITable;
  /** Existing alarms that should notify the topic too (the matchmaker's errors alarm). */
  readonly alsoNotify?: readonly Alarm[];
  /** p90 time to match above this, over two 5-minute periods, raises an alarm. @default 60 */
  readonly timeToMatchThresholdSeconds?: number;
}

/**
 * The matchmaker seen from CloudWatch: a dashboard of the metrics the functions emit (per
 * configuration through SEARCH, so new configurations appear without a deployment) and alarms
 * that notify the topic: failed ticks, events that can't be published, slow matching, throttling.
 */
export class Observability extends Construct {
  readonly dashboard: Dashboard;
  readonly tickFailuresAlarm: Alarm;
  readonly publishBacklogAlarm: Alarm;
  readonly timeToMatchAlarm: Alarm;
  readonly throttlesAlarm: Alarm;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const names = MATCHMAKER_METRICS;
    const overall = (metricName: string, statistic: string) =>
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: SERVICE_DIMENSION,
        statistic,
        period: Duration.minutes(1),
      });
    const threshold = props.timeToMatchThresholdSeconds ?? DEFAULT_TIME_TO_MATCH_THRESHOLD_SECONDS;

    this.tickFailuresAlarm = new Alarm(this, 'TickFailures', {
      alarmDescription:
        'slotfill matchmaker: 3 or more failed ticks in 5 minutes. Passes are not running; see the matchmaker logs.',
      metric: overall(names.tickFailures, Stats.SUM).with({ period: Duration.minutes(5) }),
      threshold: 3,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.publishBacklogAlarm = new Alarm(this, 'PublishBacklog', {
      alarmDescription:
        'slotfill matchmaker: events failed to publish in each of the last 5 minutes. They wait in the outbox; check EventBridge and the matchmaker role.',
      metric: overall(names.publishFailures, Stats.SUM),
      threshold: 1,
      evaluationPeriods: 5,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.timeToMatchAlarm = new Alarm(this, 'TimeToMatch', {
      alarmDescription: `slotfill: 90% of matched tickets waited more than ${threshold} s, over 10 minutes. See the dashboard's pool and passes.`,
      metric: overall(names.timeToMatch, Stats.percentile(90)).with({ period: Duration.minutes(5) }),
      threshold,
      evaluationPeriods: 2,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const functions = [props.matchmaker, ...props.apiFunctions];
    const lambdaThrottles: Record<string, IMetric> = {};
    functions.forEach((fn, index) => {
      lambdaThrottles[`l${index}`] = fn.metricThrottles({
        period: Duration.minutes(5),
        statistic: Stats.SUM,
      });
    });
    const tableThrottles = props.table.metricThrottledRequestsForOperations({
      operations: [
        Operation.GET_ITEM,
        Operation.BATCH_GET_ITEM,
        Operation.QUERY,
        Operation.PUT_ITEM,
        Operation.UPDATE_ITEM,
        Operation.TRANSACT_WRITE_ITEMS,
      ],
      period: Duration.minutes(5),
    });
    this.throttlesAlarm = new Alarm(this, 'Throttles', {
      alarmDescription:
        'slotfill: Lambda invocations or DynamoDB requests were throttled in 5 minutes. Raise concurrency or check the table.',
      metric: new MathExpression({
        expression: `${Object.keys(lambdaThrottles).join(' + ')} + dynamodb`,
        usingMetrics: { ...lambdaThrottles, dynamodb: tableThrottles },
        period: Duration.minutes(5),
        label: 'Throttled Lambda invocations and DynamoDB requests',
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const alarms = [
      this.tickFailuresAlarm,
      this.publishBacklogAlarm,
      this.timeToMatchAlarm,
      this.throttlesAlarm,
      ...(props.alsoNotify ?? []),
    ];
    const action = new SnsAction(props.topic);
    for (const alarm of alarms) alarm.addAlarmAction(action);

    /** One line per configuration, found by SEARCH among the metrics that carry the dimension. */
    const perConfiguration = (metricName: string, statistic: string, label: string) =>
      new MathExpression({
        expression: `SEARCH('{${METRICS_NAMESPACE},configuration,service} MetricName="${metricName}"', '${statistic}', 60)`,
        label,
        period: Duration.minutes(1),
      });
    const graph = (title: string, left: IMetric[]) => new GraphWidget({ title, left, width: 8, height: 6 });
    this.dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.hours(3) });
    this.dashboard.addWidgets(
      new AlarmStatusWidget({ title: 'slotfill alarms', alarms, width: 24, height: 3 }),
    );
    this.dashboard.addWidgets(
      graph('Tickets waiting (per configuration)', [
        perConfiguration(names.currentTickets, 'Maximum', 'tickets'),
      ]),
      graph('Players waiting (per configuration)', [
        perConfiguration(names.playersWaiting, 'Maximum', 'players'),
      ]),
      graph('Tickets started (per configuration)', [
        perConfiguration(API_METRICS.ticketsStarted, 'Sum', 'started'),
      ]),
    );
    this.dashboard.addWidgets(
      graph('Matches created and backfills filled', [
        perConfiguration(names.matchesCreated, 'Sum', 'matches'),
        perConfiguration(names.backfillsFilled, 'Sum', 'backfills'),
      ]),
      graph('Tickets ended, by status', [
        perConfiguration(names.ticketsCompleted, 'Sum', 'completed'),
        perConfiguration(names.ticketsTimedOut, 'Sum', 'timed out'),
        perConfiguration(names.ticketsFailed, 'Sum', 'failed'),
        perConfiguration(API_METRICS.ticketsCancelled, 'Sum', 'cancelled'),
      ]),
      graph('Time to match (s), all configurations', [
        overall(names.timeToMatch, Stats.percentile(50)),
        overall(names.timeToMatch, Stats.percentile(90)),
        overall(names.timeToMatch, Stats.percentile(99)),
      ]),
    );
    this.dashboard.addWidgets(
      graph('Time to match p90 / time to fill p90 (s, per configuration)', [
        perConfiguration(names.timeToMatch, 'p90', 'match p90'),
        perConfiguration(names.timeToFill, 'p90', 'fill p90'),
      ]),
      graph('Pass duration (ms, per configuration)', [
        perConfiguration(names.passDuration, 'p90', 'p90'),
        perConfiguration(names.passDuration, 'Maximum', 'max'),
      ]),
      graph('Commit conflicts, publish and tick failures', [
        perConfiguration(names.commitConflicts, 'Sum', 'conflicts'),
        overall(names.publishFailures, Stats.SUM),
        overall(names.tickFailures, Stats.SUM),
      ]),
    );
  }
}
