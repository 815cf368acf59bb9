import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { ThrottleSettings } from 'aws-cdk-lib/aws-apigatewayv2';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { Route } from '../lambdas/routes';
import { DataTable } from './constructs/data-table';
import { SlotfillEventBus } from './constructs/event-bus';
import { type PlayerTokenIssuer, SlotfillHttpApi } from './constructs/http-api';
import { ScheduledMatchmaker } from './constructs/matchmaker';
import { AlarmTopic, AlarmTopicDestination, Observability } from './constructs/observability';

export interface SlotfillStackProps extends StackProps {
  /**
   * For dev stacks: the table loses deletion protection and, like the log groups, is deleted
   * with the stack. Off by default so that a production `cdk destroy` keeps the data.
   * @default false
   */
  readonly allowDestroy?: boolean;
  /** @default the project's route table */
  readonly routes?: readonly Route[];
  /** @default DEFAULT_THROTTLE of http-api.ts */
  readonly throttle?: ThrottleSettings;
  /**
   * Who issues player tokens (PlayFab `X-EntityToken` JWTs), checked by API Gateway's JWT
   * authorizer on the player routes. Without it the player routes are not deployed.
   */
  readonly playerTokens?: PlayerTokenIssuer;
  /** @default one month */
  readonly logRetention?: RetentionDays;
  /** Name of the matchmaking event bus. @default DEFAULT_EVENT_BUS_NAME of event-bus.ts ("slotfill") */
  readonly eventBusName?: string;
  /**
   * `source` of the matchmaking events; must not start with `aws.`.
   * @default DEFAULT_EVENT_SOURCE of event-bus.ts ("slotfill.matchmaking")
   */
  readonly eventSource?: string;
  /** Copy every matchmaking event to a log group (debugging). @default false */
  readonly eventDebugLogging?: boolean;
  /**
   * Interval between matchmaking passes within one invocation, 100 to 2000 ms.
   * @default DEFAULT_MATCHMAKER_INTERVAL_MS of matchmaker.ts (1000)
   */
  readonly matchmakerIntervalMs?: number;
  /**
   * The time-to-match alarm's threshold: p90 seconds over two 5-minute periods.
   * @default DEFAULT_TIME_TO_MATCH_THRESHOLD_SECONDS of observability.ts (60)
   */
  readonly timeToMatchAlarmSeconds?: number;
  /** Every function's POWERTOOLS_LOG_LEVEL: DEBUG, INFO, WARN, ERROR, CRITICAL or SILENT. @default INFO */
  readonly logLevel?: string;
  /**
   * Tickets one player may join per configuration and minute; 0 turns the limit off.
   * @default DEFAULT_PLAYER_TICKETS_PER_MINUTE of lambdas/usecases/rate-limits.ts (30)
   */
  readonly playerTicketsPerMinute?: number;
  /**
   * Tickets (matchmaking and backfill) the deployment may open per second; 0 turns it off.
   * @default DEFAULT_TITLE_TICKETS_PER_SECOND of lambdas/usecases/rate-limits.ts (500)
   */
  readonly titleTicketsPerSecond?: number;
}

/** A rate limit prop as the API functions read it (a whole number ≥ 0), or nothing when unset. */
function rateLimitEnvironment(
  name: string,
  variable: string,
  value: number | undefined,
): Record<string, string> {
  if (value === undefined) return {};
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${name} must be a whole number ≥ 0; got ${value}`);
  return { [variable]: String(value) };
}

const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'];

/**
 * slotfill in one stack, one construct per concern: the data table, the HTTP API with its
 * functions, the event bus for matchmaking events, and the scheduled matchmaker that forms
 * matches from the table and publishes to that bus.
 */
export class SlotfillStack extends Stack {
  readonly data: DataTable;
  readonly httpApi: SlotfillHttpApi;
  readonly events: SlotfillEventBus;
  readonly matchmaker: ScheduledMatchmaker;
  readonly alarmTopic: AlarmTopic;
  readonly observability: Observability;

  constructor(scope: Construct, id: string, props: SlotfillStackProps = {}) {
    super(scope, id, props);
    const allowDestroy = props.allowDestroy ?? false;

    this.data = new DataTable(this, 'Data', { allowDestroy });

    const logRemovalPolicy = allowDestroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;

    this.httpApi = new SlotfillHttpApi(this, 'Http', {
      table: this.data.table,
      routes: props.routes,
      throttle: props.throttle,
      playerTokens: props.playerTokens,
      logRetention: props.logRetention,
      logRemovalPolicy,
    });

    this.events = new SlotfillEventBus(this, 'Events', {
      eventBusName: props.eventBusName,
      eventSource: props.eventSource,
      debugLogging: props.eventDebugLogging,
    });

    this.alarmTopic = new AlarmTopic(this, 'Alarms');
    this.matchmaker = new ScheduledMatchmaker(this, 'Matchmaker', {
      table: this.data.table,
      bus: this.events.bus,
      eventSource: this.events.eventSource,
      intervalMs: props.matchmakerIntervalMs,
      logRetention: props.logRetention,
      logRemovalPolicy,
      onFailure: new AlarmTopicDestination(this.alarmTopic),
    });
    this.observability = new Observability(this, 'Observability', {
      topic: this.alarmTopic.topic,
      matchmaker: this.matchmaker.service.function,
      apiFunctions: [...this.httpApi.functions.values()].map((service) => service.function),
      table: this.data.table,
      alsoNotify: [this.matchmaker.errorsAlarm, this.matchmaker.workerErrorsAlarm],
      timeToMatchThresholdSeconds: props.timeToMatchAlarmSeconds,
    });

    const logLevel = (props.logLevel ?? 'INFO').toUpperCase();
    if (!LOG_LEVELS.includes(logLevel))
      throw new Error(`logLevel must be one of ${LOG_LEVELS.join(', ')}; got ${props.logLevel}`);
    const rateLimits = {
      ...rateLimitEnvironment(
        'playerTicketsPerMinute',
        'SLOTFILL_PLAYER_TICKETS_PER_MINUTE',
        props.playerTicketsPerMinute,
      ),
      ...rateLimitEnvironment(
        'titleTicketsPerSecond',
        'SLOTFILL_TITLE_TICKETS_PER_SECOND',
        props.titleTicketsPerSecond,
      ),
    };
    for (const service of this.httpApi.functions.values())
      for (const [variable, value] of Object.entries(rateLimits))
        service.function.addEnvironment(variable, value);
    for (const service of [
      ...this.httpApi.functions.values(),
      this.matchmaker.service,
      this.matchmaker.worker,
    ])
      service.function.addEnvironment('POWERTOOLS_LOG_LEVEL', logLevel);

    new CfnOutput(this, 'ApiUrl', {
      description: 'Base URL of the API: the GameLift SDK `endpoint` (see lib/README-deploy.md for signing)',
      value: this.httpApi.url,
    });
    new CfnOutput(this, 'ApiId', {
      description:
        'For IAM policies: arn:aws:execute-api:<region>:<account>:<ApiId>/$default/<METHOD>/<path>',
      value: this.httpApi.api.apiId,
    });
    new CfnOutput(this, 'TableName', { value: this.data.table.tableName });
    new CfnOutput(this, 'EventBusName', {
      description: "The matchmaking events' bus: consumers' rules go on it (see lib/README-deploy.md)",
      value: this.events.bus.eventBusName,
    });
    new CfnOutput(this, 'EventBusArn', {
      description: 'For consumers in other accounts and for replays from its archive',
      value: this.events.bus.eventBusArn,
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      description:
        'Every slotfill alarm and failed matchmaker invocation notifies this topic: subscribe to it',
      value: this.alarmTopic.topic.topicArn,
    });
    new CfnOutput(this, 'DashboardName', { value: this.observability.dashboard.dashboardName });
    new CfnOutput(this, 'MatchmakerFunctionName', {
      description: 'The scheduled matchmaker function: its metrics, logs and the errors alarm refer to it',
      value: this.matchmaker.functionName,
    });
  }
}
