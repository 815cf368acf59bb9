import { ArnFormat, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { type Archive, type CfnArchive, EventBus, type IRuleTarget, Rule } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** The bus name when none is given: one slotfill per account and Region needs no more. */
export const DEFAULT_EVENT_BUS_NAME = 'slotfill';

/**
 * The `source` of every event slotfill publishes. FlexMatch's own events use `aws.gamelift`,
 * but EventBridge reserves the `aws.` prefix for AWS services (PutEvents rejects it), so
 * slotfill's events differ from FlexMatch's in `source` only.
 */
export const DEFAULT_EVENT_SOURCE = 'slotfill.matchmaking';

/** The `detail-type` FlexMatch gives its matchmaking events, which slotfill's events keep. */
export const MATCHMAKING_DETAIL_TYPE = 'GameLift Matchmaking Event';

/**
 * How long the archive keeps events. FlexMatch delivers its events best effort, and so does
 * slotfill: a consumer that was down or misconfigured replays what it missed from the archive,
 * and a week covers a weekend outage without paying to keep every event forever.
 */
export const ARCHIVE_RETENTION = Duration.days(7);

/**
 * Throws unless `source` can be the `source` of a PutEvents entry. Tokens (known only at
 * deploy time) are let through. Exported so that constructs taking a source check it the same way.
 */
export function validateEventSource(source: string): void {
  if (Token.isUnresolved(source)) return;
  if (source.trim() === '')
    throw new Error('eventSource must not be empty: it is the `source` of every matchmaking event');
  // Checked case-insensitively: an "AWS.x" source would at best confuse consumers' patterns.
  if (source.toLowerCase().startsWith('aws.'))
    throw new Error(
      `eventSource "${source}" must not start with "aws.": EventBridge reserves that prefix for AWS services and rejects such events from PutEvents. Use your own prefix, like the default "${DEFAULT_EVENT_SOURCE}".`,
    );
}

export interface SlotfillEventBusProps {
  /** @default DEFAULT_EVENT_BUS_NAME */
  readonly eventBusName?: string;
  /**
   * The `source` slotfill publishes under; the archive and the debug rule match on it.
   * @default DEFAULT_EVENT_SOURCE
   */
  readonly eventSource?: string;
  /**
   * A rule that copies every slotfill event into a CloudWatch log group, for debugging event
   * contents and consumer patterns. Off by default: it costs log ingestion for every event and
   * takes one of the account's (at most 10 per Region) CloudWatch Logs resource policies.
   * @default false
   */
  readonly debugLogging?: boolean;
  /** Retention of the debug log group. @default one week, like the archive */
  readonly debugLogRetention?: RetentionDays;
  /** What happens to the debug log group when the stack is deleted. @default DESTROY (debug output only) */
  readonly debugLogRemovalPolicy?: RemovalPolicy;
}

/**
 * The custom EventBridge bus the matchmaker publishes matchmaking events to (FlexMatch's event
 * shapes, `source` = eventSource), with an archive so that consumers can replay what they
 * missed, and optionally a rule that logs every event for debugging.
 */
export class SlotfillEventBus extends Construct {
  readonly bus: EventBus;
  readonly eventSource: string;
  readonly archive: Archive;
  /** Only with `debugLogging`. */
  readonly debugLogGroup?: LogGroup;
  /** Only with `debugLogging`. */
  readonly debugRule?: Rule;

  constructor(scope: Construct, id: string, props: SlotfillEventBusProps = {}) {
    super(scope, id);
    const eventSource = props.eventSource ?? DEFAULT_EVENT_SOURCE;
    // Before any resource is created, so that a bad value fails with this message alone.
    validateEventSource(eventSource);
    this.eventSource = eventSource;

    // A custom bus rather than the default one: consumers' rules and the archive see only
    // slotfill's events, and permissions can be granted on this bus alone.
    this.bus = new EventBus(this, 'Bus', {
      eventBusName: props.eventBusName ?? DEFAULT_EVENT_BUS_NAME,
      description: 'slotfill matchmaking events (FlexMatch event shapes)',
    });

    this.archive = this.bus.archive('Archive', {
      description: `slotfill matchmaking events (source ${eventSource}), kept for replay`,
      // Only what slotfill publishes: a replay then re-sends nothing that other publishers on
      // this bus (if any are ever added) would not expect to be sent twice.
      eventPattern: { source: [eventSource] },
      retention: ARCHIVE_RETENTION,
    });
    // aws-cdk-lib's Archive writes KmsKeyIdentifier: "" when no key is given, which some
    // Regions reject on deploy (aws/aws-cdk#37847). Without the property the archive uses the
    // AWS-owned key, as the bus does.
    (this.archive.node.defaultChild as CfnArchive).addPropertyDeletionOverride('KmsKeyIdentifier');

    if (props.debugLogging) {
      this.debugLogGroup = new LogGroup(this, 'DebugLogs', {
        // /aws/events/ is where the EventBridge console looks for log targets.
        logGroupName: `/aws/events/${this.bus.eventBusName}/debug`,
        retention: props.debugLogRetention ?? RetentionDays.ONE_WEEK,
        removalPolicy: props.debugLogRemovalPolicy ?? RemovalPolicy.DESTROY,
      });
      this.debugRule = new Rule(this, 'DebugRule', {
        eventBus: this.bus,
        description: 'Debugging aid: copies every slotfill matchmaking event to a log group',
        eventPattern: { source: [eventSource] },
        targets: [logGroupTarget(this.debugLogGroup)],
      });
    }
  }
}

/**
 * A log group as a rule target, with its resource policy as a plain AWS::Logs::ResourcePolicy.
 * aws-events-targets' CloudWatchLogGroup writes that policy through a custom resource instead,
 * whose singleton Lambda (AWS managed policy, `*` resources, its own runtime) would need
 * cdk-nag IAM4, IAM5 and L1 acknowledgments for something CloudFormation does natively.
 */
function logGroupTarget(logGroup: LogGroup): IRuleTarget {
  // EventBridge writes log streams itself; these two actions on this group are all it needs.
  logGroup.addToResourcePolicy(
    new PolicyStatement({
      principals: [new ServicePrincipal('events.amazonaws.com')],
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroup.logGroupArn],
    }),
  );
  return {
    bind: () => ({
      // A rule target names the group without the `:*` suffix of the LogGroup's Arn attribute.
      arn: Stack.of(logGroup).formatArn({
        service: 'logs',
        resource: 'log-group',
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        resourceName: logGroup.logGroupName,
      }),
      targetResource: logGroup,
    }),
  };
}
