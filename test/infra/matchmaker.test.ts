import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { routeFunctions } from '../../lambdas/routes';
import {
  ARCHIVE_RETENTION,
  DEFAULT_EVENT_BUS_NAME,
  DEFAULT_EVENT_SOURCE,
  validateEventSource,
} from '../../lib/constructs/event-bus';
import {
  DEFAULT_MATCHMAKER_INTERVAL_MS,
  MATCHMAKER_SAFETY_MARGIN_MS,
  matchmakerFunctionSpec,
  matchmakerWorkerFunctionSpec,
  validateMatchmakerInterval,
  WORK_MAX_RECEIVES,
  WORK_VISIBILITY_FACTOR,
} from '../../lib/constructs/matchmaker';
import { projectRoot } from '../../lib/project-root';
import { SlotfillStack, type SlotfillStackProps } from '../../lib/slotfill-stack';
import {
  acknowledgments,
  asArray,
  cdkJsonContext,
  onlyResourceOf,
  policyStatements,
  type Resource,
  referencedId,
  resourcesOf,
  type Synthesized,
  synthesize,
} from './synthesize';

const getAttArn = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });

/** Logical ids of the resources the matchmaker tests look at. */
interface Ids {
  bus: string;
  table: string;
  matchmaker: string;
  matchmakerRole: string;
  worker: string;
  workerRole: string;
  schedule: string;
}

function idsOf(template: Template): Ids {
  const [matchmaker, fn] = resourcesOf(template, 'AWS::Lambda::Function').find(
    ([, candidate]) => candidate.Properties.Description === matchmakerFunctionSpec.description,
  ) ?? [undefined, undefined];
  if (!matchmaker || !fn) throw new Error('No matchmaker function in the template');
  const [worker, workerFn] = resourcesOf(template, 'AWS::Lambda::Function').find(
    ([, candidate]) => candidate.Properties.Description === matchmakerWorkerFunctionSpec.description,
  ) ?? [undefined, undefined];
  if (!worker || !workerFn) throw new Error('No matchmaker worker function in the template');
  const [schedule] = resourcesOf(template, 'AWS::Events::Rule').find(
    ([, rule]) => rule.Properties.ScheduleExpression !== undefined,
  ) ?? [''];
  return {
    bus: onlyResourceOf(template, 'AWS::Events::EventBus')[0],
    table: onlyResourceOf(template, 'AWS::DynamoDB::Table')[0],
    matchmaker,
    matchmakerRole: referencedId(fn.Properties.Role) ?? '',
    worker,
    workerRole: referencedId(workerFn.Properties.Role) ?? '',
    schedule,
  };
}

function environmentOf(template: Template, functionId: string): Record<string, unknown> {
  const fn = template.findResources('AWS::Lambda::Function')[functionId] as Resource;
  return (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
}

/** Builds the stack without synthesizing it, for props that must throw. */
function construct(props: SlotfillStackProps): void {
  const app = new App({ context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [] } });
  new SlotfillStack(app, 'Slotfill', props);
}

describe('matchmaker and event bus (default props, bundled with esbuild)', () => {
  let synthesized: Synthesized;
  let template: Template;
  let ids: Ids;

  beforeAll(() => {
    synthesized = synthesize();
    template = synthesized.template;
    ids = idsOf(template);
  });

  describe('event bus', () => {
    it('is a custom bus named "slotfill"', () => {
      const [, bus] = onlyResourceOf(template, 'AWS::Events::EventBus');
      expect(bus.Properties.Name).toBe(DEFAULT_EVENT_BUS_NAME);
      expect(DEFAULT_EVENT_BUS_NAME).toBe('slotfill');
      // No bus policy: publishing is granted through the matchmaker's role (same account).
      expect(bus.Properties.Policy).toBeUndefined();
    });

    it('archives the events slotfill publishes for 7 days, for replay', () => {
      const [, archive] = onlyResourceOf(template, 'AWS::Events::Archive');
      expect(archive.Properties).toEqual({
        SourceArn: getAttArn(ids.bus),
        EventPattern: { source: [DEFAULT_EVENT_SOURCE] },
        RetentionDays: 7,
        Description: expect.any(String),
      });
      expect(ARCHIVE_RETENTION.toDays()).toBe(7);
      // Not KmsKeyIdentifier: "" (aws/aws-cdk#37847), which some Regions reject.
      expect(archive.Properties).not.toHaveProperty('KmsKeyIdentifier');
    });

    it('has no debug log rule or resource policy unless asked for', () => {
      const busRules = resourcesOf(template, 'AWS::Events::Rule').filter(
        ([, rule]) => rule.Properties.EventBusName !== undefined,
      );
      expect(busRules).toEqual([]);
      template.resourceCountIs('AWS::Logs::ResourcePolicy', 0);
    });
  });

  describe('schedule', () => {
    it('invokes the matchmaker every minute from the default bus, without retries', () => {
      const rule = template.findResources('AWS::Events::Rule')[ids.schedule] as Resource;
      expect(rule.Properties).toMatchObject({ ScheduleExpression: 'rate(1 minute)', State: 'ENABLED' });
      // Schedule expressions work only on the default bus.
      expect(rule.Properties.EventBusName).toBeUndefined();
      expect(rule.Properties.Targets).toEqual([
        {
          Id: expect.any(String),
          Arn: getAttArn(ids.matchmaker),
          RetryPolicy: { MaximumRetryAttempts: 0 },
        },
      ]);
    });

    it('lets only this rule invoke the matchmaker', () => {
      const permissions = resourcesOf(template, 'AWS::Lambda::Permission').filter(
        ([, permission]) => referencedId(permission.Properties.FunctionName) === ids.matchmaker,
      );
      expect(permissions.map(([, permission]) => permission.Properties)).toEqual([
        {
          Action: 'lambda:InvokeFunction',
          FunctionName: getAttArn(ids.matchmaker),
          Principal: 'events.amazonaws.com',
          SourceArn: getAttArn(ids.schedule),
        },
      ]);
    });

    it('drops failed or stale asynchronous invocations instead of retrying them, telling the alarm topic', () => {
      const [, config] = onlyResourceOf(template, 'AWS::Lambda::EventInvokeConfig');
      const [topicId] = onlyResourceOf(template, 'AWS::SNS::Topic');
      expect(config.Properties).toEqual({
        FunctionName: { Ref: ids.matchmaker },
        Qualifier: '$LATEST',
        MaximumEventAgeInSeconds: 120,
        MaximumRetryAttempts: 0,
        DestinationConfig: { OnFailure: { Destination: { Ref: topicId } } },
      });
    });
  });

  describe('function', () => {
    it('is configured from matchmakerFunctionSpec: handler, 60 s, 1024 MB, no reserved concurrency', () => {
      const fn = template.findResources('AWS::Lambda::Function')[ids.matchmaker] as Resource;
      expect(fn.Properties).toMatchObject({
        Handler: 'index.handler',
        Timeout: 60,
        MemorySize: 1024,
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
      });
      expect(matchmakerFunctionSpec.entry).toBe('lambdas/handlers/matchmaker.ts');
      expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
    });

    it('gets the bus, source, interval and safety margin (and the table) through its environment', () => {
      expect(environmentOf(template, ids.matchmaker)).toMatchObject({
        EVENT_BUS_NAME: { Ref: ids.bus },
        EVENT_SOURCE: 'slotfill.matchmaking',
        MATCHMAKER_INTERVAL_MS: '1000',
        MATCHMAKER_SAFETY_MARGIN_MS: '5000',
        TABLE_NAME: { Ref: ids.table },
      });
      expect([DEFAULT_EVENT_SOURCE, DEFAULT_MATCHMAKER_INTERVAL_MS, MATCHMAKER_SAFETY_MARGIN_MS]).toEqual([
        'slotfill.matchmaking',
        1000,
        5000,
      ]);
    });

    it('has an alarm on 3 or more errors in 5 minutes', () => {
      const alarm = resourcesOf(template, 'AWS::CloudWatch::Alarm')
        .map(([, resource]) => resource)
        .find((resource) => JSON.stringify(resource.Properties.Dimensions).includes(ids.matchmaker));
      expect(alarm?.Properties).toMatchObject({
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: ids.matchmaker } }],
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 3,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    });
  });

  describe('least privilege', () => {
    it('allows events:PutEvents on the slotfill bus only, and only to the matchmaker workers', () => {
      const eventStatements = policyStatements(template).filter(({ statement }) =>
        asArray(statement.Action as string | string[]).some((action) => action.startsWith('events:')),
      );
      expect(eventStatements).toEqual([
        {
          roles: [ids.workerRole],
          statement: { Effect: 'Allow', Action: 'events:PutEvents', Resource: getAttArn(ids.bus) },
        },
      ]);
    });

    it('grants the matchmaker DynamoDB actions on the table and its indexes only', () => {
      const tableArn = getAttArn(ids.table);
      const indexArn = { 'Fn::Join': ['', [tableArn, '/index/*']] };
      const dynamo = policyStatements(template).filter(
        ({ roles, statement }) =>
          roles.includes(ids.matchmakerRole) &&
          asArray(statement.Action as string | string[]).some((action) => action.startsWith('dynamodb:')),
      );
      expect(dynamo.length).toBeGreaterThan(0);
      for (const { statement } of dynamo) {
        const actions = asArray(statement.Action as string | string[]);
        expect(actions.every((action) => action.startsWith('dynamodb:') && action !== 'dynamodb:*')).toBe(
          true,
        );
        const resources = asArray(statement.Resource);
        expect(resources).toHaveLength(2);
        expect(resources).toEqual(expect.arrayContaining([tableArn, indexArn]));
      }
    });

    it('gives the dispatcher role nothing else but its log group, X-Ray, sending to the work queue and the alarm topic', () => {
      const fn = template.findResources('AWS::Lambda::Function')[ids.matchmaker] as Resource;
      const logGroupId = referencedId((fn.Properties.LoggingConfig as { LogGroup: unknown }).LogGroup);
      const others = policyStatements(template)
        .filter(({ roles }) => roles.includes(ids.matchmakerRole))
        .map(({ statement }) => ({
          ...statement,
          Action: asArray(statement.Action as string | string[]).sort(),
        }))
        .filter(({ Action }) =>
          Action.every((action) => !action.startsWith('dynamodb:') && !action.startsWith('events:')),
        );
      const [queueId] = resourcesOf(template, 'AWS::SQS::Queue').find(
        ([, queue]) => queue.Properties.RedrivePolicy,
      ) ?? [''];
      const [topicId] = onlyResourceOf(template, 'AWS::SNS::Topic');
      const [keyId] = onlyResourceOf(template, 'AWS::KMS::Key');
      expect(others).toHaveLength(5);
      expect(others).toEqual(
        expect.arrayContaining([
          {
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: getAttArn(logGroupId!),
          },
          {
            Effect: 'Allow',
            Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
            Resource: getAttArn(queueId),
          },
          // The on-failure destination: publish to the alarm topic, under its key.
          { Effect: 'Allow', Action: ['sns:Publish'], Resource: { Ref: topicId } },
          { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: getAttArn(keyId!) },
          // X-Ray supports no resource-level permissions (the ServiceFunction acknowledgment).
          { Effect: 'Allow', Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], Resource: '*' },
        ]),
      );
    });
  });

  it('declares the EventBusName, EventBusArn and MatchmakerFunctionName outputs', () => {
    template.hasOutput('EventBusName', { Value: { Ref: ids.bus } });
    template.hasOutput('EventBusArn', { Value: getAttArn(ids.bus) });
    template.hasOutput('MatchmakerFunctionName', { Value: { Ref: ids.matchmaker } });
  });

  it('passes cdk-nag with no unacknowledged finding', () => {
    expect(synthesized.nagFindings).toEqual([]);
    expect(synthesized.cdkErrors).toEqual([]);
  });

  it('adds no acknowledgment beyond the two IAM5 ones every ServiceFunction role has', () => {
    const acks = acknowledgments(synthesized.stack).filter(
      ({ path }) => path.startsWith('Slotfill/Events') || path.startsWith('Slotfill/Matchmaker'),
    );
    expect(acks.map(({ path, id }) => ({ path, id }))).toEqual([
      { path: 'Slotfill/Matchmaker/Matchmaker/Role', id: 'AwsSolutions-IAM5[Resource::*]' },
      {
        path: 'Slotfill/Matchmaker/Matchmaker/Role',
        id: `AwsSolutions-IAM5[Resource::<${ids.table}.Arn>/index/*]`,
      },
      { path: 'Slotfill/Matchmaker/MatchmakerWorker/Role', id: 'AwsSolutions-IAM5[Resource::*]' },
      {
        path: 'Slotfill/Matchmaker/MatchmakerWorker/Role',
        id: `AwsSolutions-IAM5[Resource::<${ids.table}.Arn>/index/*]`,
      },
    ]);
    // The worker's "*" covers X-Ray and the stream's ListStreams, and says so.
    expect(
      acks.find(({ path, id }) => path.includes('MatchmakerWorker') && id.endsWith('::*]'))?.reason,
    ).toContain('dynamodb:ListStreams');
  });

  describe('scale-out: fan-out queue and stream trigger', () => {
    it('sends the dispatcher one message per configuration to an encrypted, TLS-only queue with a dead-letter queue', () => {
      const queues = resourcesOf(template, 'AWS::SQS::Queue');
      expect(queues).toHaveLength(2);
      const [, work] = queues.find(([, queue]) => queue.Properties.RedrivePolicy)!;
      expect(work.Properties).toMatchObject({
        SqsManagedSseEnabled: true,
        VisibilityTimeout: matchmakerWorkerFunctionSpec.timeoutSeconds * WORK_VISIBILITY_FACTOR,
        RedrivePolicy: { maxReceiveCount: WORK_MAX_RECEIVES },
      });
      expect(environmentOf(template, ids.matchmaker).WORK_QUEUE_URL).toBeDefined();
      // Each queue denies plain HTTP.
      const policies = resourcesOf(template, 'AWS::SQS::QueuePolicy');
      expect(policies).toHaveLength(2);
      for (const [, policy] of policies)
        expect(JSON.stringify(policy.Properties.PolicyDocument)).toContain('aws:SecureTransport');
    });

    it('runs one configuration per worker invocation, reporting failed messages one by one', () => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: ids.worker },
        BatchSize: 1,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    });

    it('starts a worker on new QUEUED tickets from the table stream, filtered, without retries that would hold the shard', () => {
      const [, table] = onlyResourceOf(template, 'AWS::DynamoDB::Table');
      expect(table.Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
      const [, mapping] = resourcesOf(template, 'AWS::Lambda::EventSourceMapping').find(
        ([, candidate]) =>
          candidate.Properties.EventSourceArn !== undefined &&
          JSON.stringify(candidate.Properties.EventSourceArn).includes('StreamArn'),
      )!;
      expect(mapping.Properties).toMatchObject({
        FunctionName: { Ref: ids.worker },
        StartingPosition: 'LATEST',
        MaximumRetryAttempts: 0,
        ParallelizationFactor: 10,
      });
      const pattern = JSON.parse(
        (mapping.Properties.FilterCriteria as { Filters: Array<{ Pattern: string }> }).Filters[0]!.Pattern,
      );
      expect(pattern).toEqual({
        dynamodb: { NewImage: { sk: { S: ['TICKET'] }, status: { S: ['QUEUED'] } } },
      });
    });

    it('gives the worker its own errors alarm, and the same pass settings as the dispatcher', () => {
      const alarms = resourcesOf(template, 'AWS::CloudWatch::Alarm').filter(([, alarm]) =>
        JSON.stringify(alarm.Properties.Dimensions ?? []).includes(ids.worker),
      );
      expect(alarms).toHaveLength(1);
      const worker = environmentOf(template, ids.worker);
      const dispatcher = environmentOf(template, ids.matchmaker);
      expect(worker.MATCHMAKER_INTERVAL_MS).toEqual(dispatcher.MATCHMAKER_INTERVAL_MS);
      expect(worker.MATCHMAKER_SAFETY_MARGIN_MS).toEqual(dispatcher.MATCHMAKER_SAFETY_MARGIN_MS);
      // A worker that splits a pool sends the new parts' messages to the same queue.
      expect(worker.WORK_QUEUE_URL).toEqual(dispatcher.WORK_QUEUE_URL);
    });

    it('lets the worker send to the work queue (the new parts of a split pool), and to no other queue', () => {
      const [queueId] = resourcesOf(template, 'AWS::SQS::Queue').find(
        ([, queue]) => queue.Properties.RedrivePolicy,
      ) ?? [''];
      const sends = policyStatements(template)
        .filter(({ roles }) => roles.includes(ids.workerRole))
        .map(({ statement }) => statement)
        .filter((statement) => asArray(statement.Action as string | string[]).includes('sqs:SendMessage'));
      expect(sends).toEqual([expect.objectContaining({ Effect: 'Allow', Resource: getAttArn(queueId) })]);
    });
  });
});

describe('matchmaker and event bus (custom props, bundling skipped)', () => {
  let synthesized: Synthesized;
  let template: Template;
  let ids: Ids;

  beforeAll(() => {
    synthesized = synthesize(
      {
        eventBusName: 'slotfill-dev',
        eventSource: 'mygame.matchmaking',
        matchmakerIntervalMs: 250,
        eventDebugLogging: true,
      },
      false,
    );
    template = synthesized.template;
    ids = idsOf(template);
  });

  it('names the bus and archives the custom source', () => {
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'slotfill-dev' });
    template.hasResourceProperties('AWS::Events::Archive', {
      EventPattern: { source: ['mygame.matchmaking'] },
    });
  });

  it('passes the custom source and interval to the matchmaker', () => {
    expect(environmentOf(template, ids.matchmaker)).toMatchObject({
      EVENT_BUS_NAME: { Ref: ids.bus },
      EVENT_SOURCE: 'mygame.matchmaking',
      MATCHMAKER_INTERVAL_MS: '250',
      MATCHMAKER_SAFETY_MARGIN_MS: '5000',
    });
  });

  it('with eventDebugLogging, copies the events to a log group that only EventBridge may write', () => {
    const [logGroupId, logGroup] = resourcesOf(template, 'AWS::Logs::LogGroup').find(([id]) =>
      id.startsWith('EventsDebugLogs'),
    ) ?? ['', undefined];
    expect(logGroup?.Properties.RetentionInDays).toBe(7);
    const rule = resourcesOf(template, 'AWS::Events::Rule').find(
      ([, candidate]) => candidate.Properties.EventBusName !== undefined,
    )?.[1];
    expect(rule?.Properties).toMatchObject({
      EventBusName: { Ref: ids.bus },
      EventPattern: { source: ['mygame.matchmaking'] },
    });
    const targets = rule?.Properties.Targets as { Arn: unknown }[];
    expect(targets).toHaveLength(1);
    expect(JSON.stringify(targets[0]!.Arn)).toContain(`{"Ref":"${logGroupId}"}`);

    const [, policy] = onlyResourceOf(template, 'AWS::Logs::ResourcePolicy');
    const document = JSON.stringify(policy.Properties.PolicyDocument);
    expect(document).toContain('events.amazonaws.com');
    expect(document).toContain(JSON.stringify(getAttArn(logGroupId)));
  });

  it('stays cdk-nag clean with the debug rule (no custom resource, no new acknowledgment)', () => {
    expect(synthesized.nagFindings).toEqual([]);
    // One per route-table function, plus the matchmaker: the debug rule adds no custom-resource function.
    template.resourceCountIs('AWS::Lambda::Function', routeFunctions().length + 2);
    const acks = acknowledgments(synthesized.stack).filter(({ path }) => path.startsWith('Slotfill/Events'));
    expect(acks).toEqual([]);
  });
});

describe('invalid matchmaker props', () => {
  it.each(['aws.gamelift', 'AWS.custom', 'aws.'])(
    'rejects eventSource %j (reserved "aws." prefix)',
    (source) => {
      expect(() => construct({ eventSource: source })).toThrow(
        `eventSource "${source}" must not start with "aws."`,
      );
    },
  );

  it('rejects an empty or blank eventSource', () => {
    expect(() => validateEventSource('  ')).toThrow('eventSource must not be empty');
  });

  it('rejects matchmakerIntervalMs 5000 with the allowed range', () => {
    expect(() => construct({ matchmakerIntervalMs: 5000 })).toThrow(
      'matchmakerIntervalMs must be a whole number of milliseconds from 100 to 2000 (the interval between matchmaking passes within one invocation); got 5000',
    );
  });

  it.each([99, 2001, 0, -1, 150.5, Number.NaN])('rejects matchmakerIntervalMs %p', (interval) => {
    expect(() => validateMatchmakerInterval(interval)).toThrow('from 100 to 2000');
  });

  it.each([100, 1000, 2000])('accepts matchmakerIntervalMs %p', (interval) => {
    expect(() => validateMatchmakerInterval(interval)).not.toThrow();
  });
});

/**
 * bin/app.ts as the CLI runs it (the CLI sets CDK_CONTEXT_JSON and CDK_OUTDIR, then runs the
 * `app` command), minus bundling, so that `-c eventBusName=... -c eventSource=...
 * -c matchmakerIntervalMs=...` are checked to reach the stack, strings and all.
 */
describe('bin/app.ts context', () => {
  let outdir: string;

  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'slotfill-app-'));
  });

  afterAll(() => {
    rmSync(outdir, { recursive: true, force: true });
  });

  function runApp(context: Record<string, string>): { status: number | null; stderr: string } {
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')));
    const result = spawnSync(join(projectRoot, 'node_modules', '.bin', 'tsx'), ['bin/app.ts'], {
      cwd: projectRoot,
      encoding: 'utf8',
      env: {
        ...env,
        CDK_OUTDIR: outdir,
        CDK_CONTEXT_JSON: JSON.stringify({ ...cdkJsonContext, 'aws:cdk:bundling-stacks': [], ...context }),
      },
      timeout: 120_000,
    });
    return { status: result.status, stderr: result.stderr };
  }

  it('passes eventBusName, eventSource, matchmakerIntervalMs and the player token issuer (as CLI strings) to the stack', () => {
    const result = runApp({
      eventBusName: 'slotfill-ctx',
      eventSource: 'ctx.matchmaking',
      matchmakerIntervalMs: '500',
      playerTokenIssuer: 'https://login.example-game.com',
      playerTokenAudience: 'example-game, example-game-dev',
    });
    expect(result).toEqual({ status: 0, stderr: '' });
    const synthesizedTemplate = JSON.parse(readFileSync(join(outdir, 'Slotfill.template.json'), 'utf8')) as {
      Resources: Record<string, Resource>;
    };
    const resources = Object.values(synthesizedTemplate.Resources);
    expect(resources.find((r) => r.Type === 'AWS::Events::EventBus')?.Properties.Name).toBe('slotfill-ctx');
    const matchmaker = resources.find(
      (r) =>
        r.Type === 'AWS::Lambda::Function' && r.Properties.Description === matchmakerFunctionSpec.description,
    );
    expect(matchmaker).toBeDefined();
    expect((matchmaker!.Properties.Environment as { Variables: object }).Variables).toMatchObject({
      EVENT_SOURCE: 'ctx.matchmaking',
      MATCHMAKER_INTERVAL_MS: '500',
    });
    expect(resources.find((r) => r.Type === 'AWS::ApiGatewayV2::Authorizer')?.Properties).toMatchObject({
      JwtConfiguration: {
        Issuer: 'https://login.example-game.com',
        Audience: ['example-game', 'example-game-dev'],
      },
    });
  }, 120_000);

  it('fails with a clear message for a non-numeric matchmakerIntervalMs', () => {
    const result = runApp({ matchmakerIntervalMs: 'fast' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('Context matchmakerIntervalMs must be a number; got "fast"');
  }, 120_000);
});
