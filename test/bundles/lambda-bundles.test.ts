import { randomUUID } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DEV_TITLE_SECRET_KEY } from '../../lambdas/handlers/playfab-secrets';
import { servePutEvents } from '../../lambdas/local/eventbridge-endpoint';
import { type LocalEventEnvelope, LocalEventSink } from '../../lambdas/local/local-event-sink';
import { scheduledEvent } from '../../lambdas/local/scheduled-event';
import {
  gameLiftFunction,
  matchmakerFunctionSpec,
  matchmakerWorkerFunctionSpec,
  playFabFunction,
  type Route,
  routes,
} from '../../lambdas/routes';
import { createDynamoClient } from '../../lambdas/shared/clients';
import { ensureTable } from '../../lambdas/store/table-bootstrap';
import type { LambdaAsset } from '../../lib/cloud-assembly';
import { type TestCloudAssembly, testCloudAssembly } from '../support/cloud-assembly';
import {
  type HandlerCode,
  httpInvocation,
  type Invocation,
  isolateBundle,
  type ProcessRun,
  runInFreshProcess,
} from '../support/lambda-processes';
import { twoVersusTwoSkill } from '../support/rule-sets';

/**
 * The files `cdk deploy` uploads, run as Lambda runs them: each bundle of the synthesized
 * cloud assembly is copied to a folder of its own (no project node_modules within reach),
 * loaded in a fresh Node process and invoked with real event shapes against DynamoDB Local.
 * The same events go to the TypeScript entry files, and the answers must be the same.
 */

const REGION = 'us-east-1';
const ACCOUNT_ID = '123456789012';
/** Lambda rejects a zipped deployment package above 50 MB; we hold ourselves to 1 MB of code for cold starts. */
const MAX_BUNDLE_BYTES = 1024 * 1024;

let assembly: TestCloudAssembly;
let tableName: string;
let scratch: string;
let eventBridge: Server;
let eventBridgeEndpoint: string;
const published: LocalEventEnvelope[] = [];

const routeOf = (name: string): Route => routes.find((route) => route.function.name === name)!;
const assetOf = (name: string): LambdaAsset => {
  const asset = assembly.assets.find((candidate) => candidate.name === name);
  if (!asset) throw new Error(`No ${name} function in the cloud assembly`);
  return asset;
};

beforeAll(async () => {
  assembly = await testCloudAssembly();
  if (assembly.synth.status !== 0) throw new Error(`cdk synth failed:\n${assembly.synth.stderr}`);
  scratch = join(process.env.SLOTFILL_TEST_RUN_DIR!, `bundles-${randomUUID().slice(0, 8)}`);
  mkdirSync(scratch, { recursive: true });
  tableName = `slotfill-bundles-${randomUUID()}`;
  const dynamo = createDynamoClient({ dynamoDbEndpoint: process.env.DYNAMODB_ENDPOINT, region: REGION });
  await ensureTable(dynamo, tableName, { stream: false });
  dynamo.destroy();
  // What EventBridge would receive from the matchmaker: PutEvents through the real SDK client.
  const sink = new LocalEventSink(
    { region: REGION, accountId: ACCOUNT_ID },
    'slotfill.matchmaking',
    () => undefined,
  );
  sink.watch((envelope) => published.push(envelope));
  eventBridge = createServer((request, response) => servePutEvents(request, response, sink));
  await new Promise<void>((resolve) => eventBridge.listen(0, '127.0.0.1', resolve));
  eventBridgeEndpoint = `http://127.0.0.1:${(eventBridge.address() as AddressInfo).port}`;
}, 240_000);

afterAll(async () => {
  await new Promise<void>((resolve) => (eventBridge ? eventBridge.close(() => resolve()) : resolve()));
});

/** The environment the stack gives the function, with this test's table and local endpoints. */
function environmentOf(asset: LambdaAsset): Record<string, string> {
  return {
    ...asset.staticEnvironment,
    TABLE_NAME: tableName,
    DYNAMODB_ENDPOINT: process.env.DYNAMODB_ENDPOINT!,
    EVENTBRIDGE_ENDPOINT: eventBridgeEndpoint,
    EVENT_BUS_NAME: 'slotfill-test',
    SLOTFILL_REGION: REGION,
    SLOTFILL_ACCOUNT_ID: ACCOUNT_ID,
    AWS_REGION: REGION,
    SLOTFILL_PLAYFAB_SECRET_KEY: DEV_TITLE_SECRET_KEY,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // As deployed: a configuration's lease is 3 × 1 s + 5 s and a pass may use half of it.
    MATCHMAKER_INTERVAL_MS: '1000',
    MATCHMAKER_SAFETY_MARGIN_MS: '5000',
  };
}

function bundle(name: string): HandlerCode {
  return isolateBundle(assetOf(name), scratch);
}

function source(name: string): HandlerCode {
  const spec = [gameLiftFunction, playFabFunction, matchmakerFunctionSpec].find((s) => s.name === name)!;
  return { kind: 'source', entry: spec.entry, exportName: spec.exportName };
}

async function run(code: HandlerCode, invocations: Invocation[]): Promise<ProcessRun> {
  const name = code.kind === 'bundle' ? code.asset.name : invocations[0]!.context.functionName;
  return runInFreshProcess(code, invocations, environmentOf(assetOf(name)));
}

/** The handler's answers, in order: a handler that throws fails the run. */
async function answers(code: HandlerCode, invocations: Invocation[]): Promise<unknown[]> {
  return (await run(code, invocations)).answers;
}

type HttpAnswer = { statusCode: number; headers: Record<string, string>; body: string };
const bodyOf = (answer: unknown) => JSON.parse((answer as HttpAnswer).body) as Record<string, unknown>;

function gameLift(operation: string, body: unknown): Invocation {
  return httpInvocation(
    routeOf(gameLiftFunction.name),
    {
      path: '/',
      headers: { 'X-Amz-Target': `GameLift.${operation}`, 'Content-Type': 'application/x-amz-json-1.1' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    },
    ACCOUNT_ID,
  );
}

function playFab(
  operation: string,
  body: unknown,
  headers = { 'X-SecretKey': DEV_TITLE_SECRET_KEY },
): Invocation {
  return httpInvocation(
    routeOf(playFabFunction.name),
    {
      path: `/Match/${operation}`,
      pathParameters: { operation },
      headers: { 'Content-Type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    },
    ACCOUNT_ID,
  );
}

function matchmakerInvocation(): Invocation {
  return {
    event: scheduledEvent({ region: REGION, accountId: ACCOUNT_ID }, { maxTicks: 1 }),
    context: {
      awsRequestId: randomUUID(),
      functionName: matchmakerFunctionSpec.name,
      timeoutMs: matchmakerFunctionSpec.timeoutSeconds * 1000,
    },
  };
}

const startTicket = (configurationName: string, ticketId: string, skill: number) =>
  gameLift('StartMatchmaking', {
    ConfigurationName: configurationName,
    TicketId: ticketId,
    Players: [{ PlayerId: `player-${ticketId}`, PlayerAttributes: { skill: { N: skill } } }],
  });

describe('the bundles cdk deploy uploads', () => {
  it('holds one bundle per function, each under 1 MB of code', () => {
    expect(assembly.assets.map((asset) => asset.name).sort()).toEqual(
      [
        gameLiftFunction.name,
        matchmakerFunctionSpec.name,
        matchmakerWorkerFunctionSpec.name,
        playFabFunction.name,
      ].sort(),
    );
    for (const asset of assembly.assets) {
      expect({
        name: asset.name,
        fits: statSync(join(asset.directory, asset.file)).size <= MAX_BUNDLE_BYTES,
      }).toEqual({ name: asset.name, fits: true });
    }
  });

  it('GameLift and matchmaker bundles write, match and answer exactly as the sources do', async () => {
    const ruleSetName = `rules-${randomUUID().slice(0, 8)}`;
    const configurationName = `config-${randomUUID().slice(0, 8)}`;
    // A 2v2 match from the bundle's tickets, another from the sources'.
    const bundleTickets = ['a', 'b', 'c', 'd'].map((letter) => `bundle-${letter}-${randomUUID()}`);
    const sourceTickets = ['a', 'b', 'c', 'd'].map((letter) => `source-${letter}-${randomUUID()}`);
    const everyTicket = [...bundleTickets, ...sourceTickets];

    // The sources write the rule set; the bundle builds on it, so both read one table.
    await answers(source(gameLiftFunction.name), [
      gameLift('CreateMatchmakingRuleSet', { Name: ruleSetName, RuleSetBody: twoVersusTwoSkill }),
    ]);
    const written = await answers(bundle(gameLiftFunction.name), [
      gameLift('CreateMatchmakingConfiguration', {
        Name: configurationName,
        RuleSetName: ruleSetName,
        RequestTimeoutSeconds: 120,
        AcceptanceRequired: false,
        BackfillMode: 'MANUAL',
      }),
      ...bundleTickets.map((ticketId) => startTicket(configurationName, ticketId, 10)),
    ]);
    expect(written.map((answer) => (answer as HttpAnswer).statusCode)).toEqual([200, 200, 200, 200, 200]);

    // One scheduled invocation of the bundled matchmaker commits the match and publishes it.
    const bundledTick = await answers(bundle(matchmakerFunctionSpec.name), [matchmakerInvocation()]);
    expect(bundledTick).toEqual([{ ticks: 1, matches: 1 }]);

    // The same from the sources, on the other four tickets: the same answer. They queue in a
    // configuration of their own, so each tick matches exactly its own four.
    const sourceConfigurationName = `${configurationName}-sources`;
    await answers(source(gameLiftFunction.name), [
      gameLift('CreateMatchmakingConfiguration', {
        Name: sourceConfigurationName,
        RuleSetName: ruleSetName,
        RequestTimeoutSeconds: 120,
        AcceptanceRequired: false,
        BackfillMode: 'MANUAL',
      }),
      ...sourceTickets.map((ticketId) => startTicket(sourceConfigurationName, ticketId, 30)),
    ]);
    const sourceTick = await answers(source(matchmakerFunctionSpec.name), [matchmakerInvocation()]);
    expect(sourceTick).toEqual(bundledTick);

    // Reads, refusals and malformed requests: the answers of bundle and sources are identical.
    const sameEvents = [
      gameLift('DescribeMatchmakingRuleSets', { Names: [ruleSetName] }),
      gameLift('DescribeMatchmakingConfigurations', { Names: [configurationName] }),
      gameLift('DescribeMatchmaking', { TicketIds: everyTicket }),
      gameLift('ValidateMatchmakingRuleSet', { RuleSetBody: '{"ruleLanguageVersion": "1.0"}' }),
      gameLift('StartMatchmaking', {
        ConfigurationName: 'no-such-configuration',
        Players: [{ PlayerId: 'p' }],
      }),
      gameLift('NoSuchOperation', {}),
      gameLift('DescribeMatchmaking', '{not json'),
    ];
    const fromBundle = await answers(bundle(gameLiftFunction.name), sameEvents);
    const fromSource = await answers(source(gameLiftFunction.name), sameEvents);
    expect(fromBundle).toEqual(fromSource);

    const statuses = (bodyOf(fromBundle[2]).TicketList as { TicketId: string; Status: string }[]).map(
      (ticket) => ticket.Status,
    );
    expect(statuses).toEqual(everyTicket.map(() => 'COMPLETED'));
    expect(fromBundle.slice(3).map((answer) => (answer as HttpAnswer).statusCode)).toEqual([
      400, 400, 400, 400,
    ]);

    // Both matchmakers published through the EventBridge client: a success per ticket.
    const succeeded = published
      .filter((envelope) => (envelope.detail as { type?: string }).type === 'MatchmakingSucceeded')
      .flatMap((envelope) =>
        (envelope.detail as { tickets: { ticketId: string }[] }).tickets.map((t) => t.ticketId),
      );
    expect(succeeded.sort()).toEqual([...everyTicket].sort());
  }, 120_000);

  it('the PlayFab bundle writes and answers exactly as the sources do', async () => {
    const queueName = `queue-${randomUUID().slice(0, 8)}`;
    const written = await answers(bundle(playFabFunction.name), [
      playFab('SetMatchmakingQueue', {
        MatchmakingQueue: {
          Name: queueName,
          MinMatchSize: 2,
          MaxMatchSize: 2,
          ServerAllocationEnabled: false,
        },
      }),
      playFab('CreateServerMatchmakingTicket', {
        QueueName: queueName,
        Members: [{ Entity: { Id: `player-${randomUUID()}`, Type: 'title_player_account' } }],
        GiveUpAfterSeconds: 60,
      }),
    ]);
    expect(written.map((answer) => (answer as HttpAnswer).statusCode)).toEqual([200, 200]);
    const ticketId = (bodyOf(written[1]).data as { TicketId: string }).TicketId;

    const sameEvents = [
      playFab('GetMatchmakingQueue', { QueueName: queueName }),
      playFab('GetMatchmakingTicket', { QueueName: queueName, TicketId: ticketId, EscapeObject: false }),
      playFab('GetMatchmakingTicket', { QueueName: queueName }),
      playFab('GetMatchmakingQueue', { QueueName: queueName }, { 'X-SecretKey': 'wrong-key' }),
      playFab('NoSuchCall', {}),
      playFab('GetMatchmakingQueue', '{not json'),
    ];
    const fromBundle = await answers(bundle(playFabFunction.name), sameEvents);
    const fromSource = await answers(source(playFabFunction.name), sameEvents);
    expect(fromBundle).toEqual(fromSource);
    expect(fromBundle.map((answer) => (answer as HttpAnswer).statusCode)).toEqual([
      200, 200, 400, 401, 404, 400,
    ]);
  }, 120_000);
});
