// First: Powertools' local switches must be set before anything below builds its instances.
import './environment';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { lambdaAssets, synthesizeCloudAssembly } from '../../lib/cloud-assembly';
import { leaseMsOf } from '../handlers/matchmaker-loop';
import type { runtimeDependencies as RuntimeDependenciesFactory } from '../handlers/runtime';
import {
  routes as defaultRoutes,
  matchmakerFunctionSpec,
  matchmakerWorkerFunctionSpec,
  type Route,
  routeFunctions,
} from '../routes';
import { createDynamoClient } from '../shared/clients';
import {
  DEFAULT_ACCOUNT_ID,
  DEFAULT_REGION,
  DEFAULT_SAFETY_MARGIN_MS,
  matchmakerSettingsFromEnv,
} from '../shared/config';
import { DEFAULT_TABLE_NAME, ensureTable } from '../store/table-bootstrap';
import type { UseCaseContext } from '../usecases/context';
import { runConfigurationWorker, runMatchmakerTick } from '../usecases/matchmaker';
import { PassLog, serveConsole } from './console/server';
import { type RunningDynamoDbLocal, startDynamoDbLocal } from './dynamodb-local';
import { LOCAL_EVENTBRIDGE_PATH, servePutEvents } from './eventbridge-endpoint';
import { createGateway, type HttpLambda } from './gateway';
import { LambdaProcess } from './lambda-process';
import { LocalEventSink } from './local-event-sink';
import { LocalMatchmakerScheduler, LocalOutboxReads } from './matchmaker-scheduler';
import {
  DEFAULT_PLAYER_KEY_FILE,
  LocalPlayerTokenKeys,
  PLAYER_TOKEN_ENV,
  type PlayerTokenSettings,
  playerTokenSettingsFromEnv,
} from './player-tokens';
import { scheduledEvent } from './scheduled-event';
import type { LocalCredentials } from './sigv4';
import { LocalStreamTrigger } from './stream-trigger';

/** The lease of an explicit tick: a Lambda invocation's whole budget (its passes may use half). */
const EXPLICIT_TICK_LEASE_MS = 120_000;
/** How old a pool split the local matchmaker's runs may start from (see WorkerOptions). */
const LOCAL_SPLIT_MAX_AGE_MS = 1000;

/** The project root, where route-table entry paths start. */
const PROJECT_ROOT = resolve(__dirname, '..', '..');

export const DEFAULT_LOCAL_CREDENTIALS: LocalCredentials = { accessKeyId: 'test', secretAccessKey: 'test' };
export const DEFAULT_PORT = 8080;

/**
 * What the local service runs: the TypeScript sources (default), or the bundles `cdk synth`
 * builds for Lambda (`SLOTFILL_HANDLERS=bundles`, `npm run start:bundles`): the files
 * `cdk deploy` uploads, loaded the way Lambda loads them.
 */
export type HandlerSource = 'sources' | 'bundles';
const HANDLER_SOURCES: readonly HandlerSource[] = ['sources', 'bundles'];

export interface LocalServiceOptions {
  /** 0 picks a free port. */
  port: number;
  host: string;
  /** Use this DynamoDB instead of starting DynamoDB Local. */
  dynamoDbEndpoint?: string;
  /** Persist DynamoDB Local's data in this folder; in memory when absent. */
  dataDir?: string;
  tableName: string;
  region: string;
  accountId: string;
  credentials: LocalCredentials;
  routes: readonly Route[];
  /** Milliseconds between matchmaker ticks; 0 turns the timer off (tests drive ticks themselves). */
  matchmakerIntervalMs: number;
  /** With the timer on: a new ticket wakes its configuration's worker at once. @default true */
  wakeOnArrival?: boolean;
  eventSource: string;
  /** Print each published event on stdout. */
  printEvents: boolean;
  handlers: HandlerSource;
  /** With bundles: a cloud assembly already synthesized (`cdk synth -o DIR`); otherwise one is synthesized. */
  assemblyDir?: string;
  /**
   * Player tokens (the `player-token` routes): issuer, audience, and the JWKS file of private
   * signing keys (created when missing; keys live in memory only when absent).
   */
  playerTokens: PlayerTokenSettings & { keyFile?: string };
}

/** Where the local service publishes its player-token keys (public JWKS), as an issuer's jwks_uri. */
export const LOCAL_JWKS_PATH = '/_local/jwks.json';

export interface LocalService {
  url: string;
  dynamoDbEndpoint: string;
  options: LocalServiceOptions;
  /** What serves the requests: the sources or the bundles (and where they are). */
  handlers: string;
  /** Signs and verifies player tokens; add or remove keys to rotate. */
  playerTokens: LocalPlayerTokenKeys;
  /** Where the local matchmaker publishes; watch it live at GET /_local/events. */
  events: LocalEventSink;
  /** Runs one matchmaker tick now (tests; the timer runs them on its own). */
  runMatchmakerTick(): Promise<void>;
  stop(): Promise<void>;
}

export function localServiceOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): LocalServiceOptions {
  const port = env.PORT === undefined ? DEFAULT_PORT : Number(env.PORT);
  const handlers = (env.SLOTFILL_HANDLERS || 'sources') as HandlerSource;
  if (!HANDLER_SOURCES.includes(handlers))
    throw new Error(
      `SLOTFILL_HANDLERS must be one of ${HANDLER_SOURCES.join(', ')}, got '${env.SLOTFILL_HANDLERS}'`,
    );
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, got '${env.PORT}'`);
  return {
    port,
    host: env.HOST || '127.0.0.1',
    dynamoDbEndpoint: env.DYNAMODB_ENDPOINT || undefined,
    // DynamoDB Local runs from inside node_modules, so the folder must be absolute and exist.
    dataDir: env.SLOTFILL_DATA_DIR ? resolve(env.SLOTFILL_DATA_DIR) : undefined,
    tableName: env.TABLE_NAME || DEFAULT_TABLE_NAME,
    region: env.SLOTFILL_REGION || DEFAULT_REGION,
    accountId: env.SLOTFILL_ACCOUNT_ID || DEFAULT_ACCOUNT_ID,
    credentials: {
      accessKeyId: env.SLOTFILL_ACCESS_KEY_ID || DEFAULT_LOCAL_CREDENTIALS.accessKeyId,
      secretAccessKey: env.SLOTFILL_SECRET_ACCESS_KEY || DEFAULT_LOCAL_CREDENTIALS.secretAccessKey,
    },
    routes: defaultRoutes,
    matchmakerIntervalMs: matchmakerSettingsFromEnv(env).intervalMs,
    eventSource: env.EVENT_SOURCE || 'slotfill.matchmaking',
    printEvents: true,
    handlers,
    assemblyDir: env.SLOTFILL_ASSEMBLY_DIR ? resolve(env.SLOTFILL_ASSEMBLY_DIR) : undefined,
    playerTokens: {
      ...playerTokenSettingsFromEnv(env),
      keyFile: resolve(env[PLAYER_TOKEN_ENV.keyFile] || DEFAULT_PLAYER_KEY_FILE),
    },
  };
}

/**
 * Starts what `cdk deploy` would run, on this machine: DynamoDB (Local unless an endpoint is
 * given), the table, and every function of the route table behind the local gateway.
 */
export async function startLocalService(options: LocalServiceOptions): Promise<LocalService> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const dynamo: RunningDynamoDbLocal | undefined = options.dynamoDbEndpoint
    ? undefined
    : await startDynamoDbLocal({ dataPath: options.dataDir });
  const dynamoDbEndpoint = options.dynamoDbEndpoint ?? dynamo!.endpoint;
  let code: LocalCode | undefined;
  try {
    const client = createDynamoClient({ dynamoDbEndpoint, region: options.region });
    // The bundles' stream trigger reads the table's stream; from sources the wake-up is in-process.
    await ensureTable(client, options.tableName, { stream: options.handlers === 'bundles' });
    client.destroy();

    // The handlers read their settings from the environment, exactly as in Lambda.
    Object.assign(process.env, {
      TABLE_NAME: options.tableName,
      DYNAMODB_ENDPOINT: dynamoDbEndpoint,
      SLOTFILL_REGION: options.region,
      SLOTFILL_ACCOUNT_ID: options.accountId,
    });
    const scope = { region: options.region, accountId: options.accountId };
    const events = new LocalEventSink(
      scope,
      options.eventSource,
      options.printEvents ? undefined : () => undefined,
    );
    const playerTokens = await LocalPlayerTokenKeys.open(options.playerTokens, options.playerTokens.keyFile);
    // Loaded only now, like the handlers, so Powertools sees the environment set above.
    const { runtimeDependencies } = require('../handlers/runtime') as {
      runtimeDependencies: typeof RuntimeDependenciesFactory;
    };
    const useCases = runtimeDependencies().useCases;
    code =
      options.handlers === 'bundles'
        ? await bundledCode(options, dynamoDbEndpoint)
        : sourceCode(options, events, useCases);
    const running = code;
    const consoleSources = { context: useCases, passes: running.passes, startedAt: Date.now() };
    let inFlight: Promise<unknown> | undefined;
    let timer: NodeJS.Timeout | undefined;
    // Open event streams never end on their own: stop() ends them, or closing the server would wait forever.
    const watchers = new Set<ServerResponse>();

    const server = createGateway({
      routes: options.routes,
      functions: running.functions,
      credentials: options.credentials,
      region: options.region,
      accountId: options.accountId,
      playerTokens,
      localEndpoints: (request, response, url) => {
        if (request.method === 'GET' && url.pathname === LOCAL_JWKS_PATH) {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify(playerTokens.publicJwks()));
          return true;
        }
        if (request.method === 'GET' && url.pathname === '/_local/events') {
          streamEvents(events, request, response, watchers);
          return true;
        }
        if (serveConsole(request, response, url, consoleSources)) return true;
        // The SDK appends the operation path `/` to the endpoint it is given.
        if (request.method === 'POST' && url.pathname.replace(/\/$/, '') === LOCAL_EVENTBRIDGE_PATH) {
          servePutEvents(request, response, events);
          return true;
        }
        return false;
      },
    });
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => resolveListen());
    });
    const { port } = server.address() as AddressInfo;
    const exposure = beyondLoopbackWarning(options.host);
    if (exposure) process.stderr.write(`${exposure}\n`);
    const url = `http://${options.host}:${port}`;
    // A bundled matchmaker publishes through the EventBridge client; this endpoint takes its calls.
    process.env.EVENTBRIDGE_ENDPOINT = `${url}${LOCAL_EVENTBRIDGE_PATH}`;
    const tick = running.matchmakerTick;
    // The timer is the scheduled safety net; from sources, new tickets also wake the matchmaker.
    if (options.matchmakerIntervalMs > 0) {
      if (options.wakeOnArrival !== false) running.startTriggers?.();
      timer = setInterval(() => {
        if (running.sweep) {
          void running.sweep();
          return;
        }
        if (inFlight) return;
        inFlight = tick()
          .catch((error: unknown) => process.stderr.write(`matchmaker tick failed: ${String(error)}\n`))
          .finally(() => {
            inFlight = undefined;
          });
      }, options.matchmakerIntervalMs);
    }
    return {
      url,
      handlers: running.description,
      dynamoDbEndpoint,
      options,
      events,
      playerTokens,
      runMatchmakerTick: tick,
      stop: async () => {
        if (timer) clearInterval(timer);
        // Let running passes finish before DynamoDB Local goes away under them.
        await inFlight;
        await running.stopTriggers?.();
        for (const watcher of watchers) watcher.end();
        const closed = new Promise<void>((done) => server.close(() => done()));
        // Idle keep-alive connections (a browser's) would hold close() open too.
        server.closeIdleConnections();
        await closed;
        server.closeAllConnections();
        await running.stop();
        await dynamo?.stop();
      },
    };
  } catch (error) {
    await code?.stop();
    await dynamo?.stop();
    throw error;
  }
}

/**
 * The local service's credentials are published development defaults and its gateway is no
 * hardened front door, so listening where other machines reach it deserves a warning.
 */
export function beyondLoopbackWarning(host: string): string | undefined {
  const loopback =
    host === 'localhost' || /^127(\.\d{1,3}){3}$/.test(host) || host === '::1' || /^::ffff:127\./i.test(host);
  if (loopback) return undefined;
  return `WARNING: slotfill is listening on ${host}, beyond loopback: other machines can reach it, and it accepts the local development credentials and signing keys. Use HOST=127.0.0.1 unless you mean to share it on a trusted network.`;
}

/** Server-sent events: each published event as one `data:` line, recent ones first. */
function streamEvents(
  events: LocalEventSink,
  request: IncomingMessage,
  response: ServerResponse,
  watchers: Set<ServerResponse>,
): void {
  response.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  // Headers now, not with the first event: a watcher knows it is connected even when all is quiet.
  response.flushHeaders();
  watchers.add(response);
  const stop = events.watch((envelope) => response.write(`data: ${JSON.stringify(envelope)}\n\n`));
  request.on('close', () => {
    stop();
    watchers.delete(response);
  });
}

/** The functions behind the gateway and the matchmaker tick, from sources or from bundles. */
interface LocalCode {
  functions: Record<string, HttpLambda>;
  matchmakerTick: () => Promise<void>;
  /** Turns on wake-ups on ticket arrival (the stream's job in AWS): in-process from sources, a stream poller for bundles. */
  startTriggers?: () => void;
  /** From sources: the timer's sweep, a worker per configuration, each at its own pace. */
  sweep?: () => Promise<void>;
  stopTriggers?: () => Promise<void>;
  /** Ends what the code runs besides this process (bundles' processes). */
  stop: () => Promise<void>;
  /** For the start-up banner. */
  description: string;
  /** The matchmaker's pass reports, when this code returns them (sources do, bundles don't). */
  passes?: PassLog;
}

/** The TypeScript entry files the stack bundles, loaded as they are: one code path with AWS. */
function sourceCode(
  options: LocalServiceOptions,
  events: LocalEventSink,
  matchmakerContext: UseCaseContext,
): LocalCode {
  const functions: Record<string, HttpLambda> = {};
  for (const spec of routeFunctions(options.routes)) {
    functions[spec.name] = exportedFunction<HttpLambda>(
      require(join(PROJECT_ROOT, spec.entry)),
      spec.entry,
      spec.exportName,
    );
  }
  const passes = new PassLog();
  const owner = `local-${randomUUID()}`;
  // As the Lambda workers take it (interval × 3 + safety margin): a pass may use half of it.
  const leaseMs = leaseMsOf({
    intervalMs: Math.max(options.matchmakerIntervalMs, 1000),
    safetyMarginMs: DEFAULT_SAFETY_MARGIN_MS,
  });
  const outboxReads = new LocalOutboxReads((name) => matchmakerContext.store.takeOutboxWrites(name));
  const scheduler: LocalMatchmakerScheduler = new LocalMatchmakerScheduler(
    async (name) => {
      // Every part of the configuration's pool at once, each under its own lease, as the
      // parts' invocations run in AWS; a changed split runs again at once with the new parts.
      const outcome = await runConfigurationWorker(matchmakerContext, events, name, {
        owner,
        leaseMs,
        // Every wake-up starts with the split: this process changes it itself (and then wakes
        // the new parts), so a copy from the last second saves a round trip per run.
        splitMaxAgeMs: LOCAL_SPLIT_MAX_AGE_MS,
        outboxShards: (configurationName) => outboxReads.shardsFor(configurationName),
        onSplitChanged: async (configurationName) => scheduler.wake(configurationName),
      }).catch((error: unknown) => {
        outboxReads.failed(name);
        throw error;
      });
      if (!outcome.ran) return { idle: false };
      if (outcome.publishFailures > 0) outboxReads.failed(name);
      passes.record([outcome.pass], Date.now());
      return {
        idle: outcome.pass.ticketsInPool === 0 && outcome.published === 0 && outcome.publishFailures === 0,
      };
    },
    () => matchmakerContext.store.listAllConfigurationNames(),
    (error) => process.stderr.write(`matchmaker worker failed: ${String(error)}\n`),
    { wakeOnArrival: options.wakeOnArrival !== false },
  );
  return {
    functions,
    matchmakerTick: async () => {
      // An explicit tick (tests, tools) is one whole round whatever the machine's load: it holds
      // the lease as long as a Lambda invocation may run, so no pass of it is cut short.
      const tick = await runMatchmakerTick(matchmakerContext, events, owner, EXPLICIT_TICK_LEASE_MS);
      passes.record(tick.passes, Date.now());
    },
    startTriggers: () => {
      // The handlers of this process share this context: their new tickets wake the scheduler.
      matchmakerContext.arrivals = scheduler;
    },
    sweep: () => scheduler.sweep(),
    stopTriggers: async () => {
      matchmakerContext.arrivals = undefined;
      await scheduler.stop();
    },
    stop: async () => undefined,
    description: 'TypeScript sources (lambdas/handlers)',
    passes,
  };
}

/**
 * The bundles of a synthesized cloud assembly, each in a process of its own that loads
 * index.js from the asset folder as Lambda does (lambda-process.ts). The matchmaker bundle gets
 * a scheduled event asking for one tick per invocation; it publishes through its EventBridge
 * client to the gateway's local PutEvents endpoint.
 */
async function bundledCode(options: LocalServiceOptions, dynamoDbEndpoint: string): Promise<LocalCode> {
  let assemblyDir = options.assemblyDir;
  if (!assemblyDir) {
    // Outside the project, so a bundle that still needed node_modules would fail here as in Lambda.
    assemblyDir = mkdtempSync(join(tmpdir(), 'slotfill-bundles-'));
    const synth = await synthesizeCloudAssembly(assemblyDir);
    if (synth.status !== 0) throw new Error(`cdk synth failed (exit ${synth.status}):\n${synth.stderr}`);
  }
  const assets = lambdaAssets(assemblyDir);
  const started: LambdaProcess[] = [];
  const startProcess = async (name: string, extraEnvironment: Record<string, string> = {}) => {
    const asset = assets.find((candidate) => candidate.name === name);
    if (!asset) throw new Error(`The cloud assembly in ${assemblyDir} has no function ${name}`);
    const environment = Object.fromEntries(
      Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    const lambda = await LambdaProcess.start({
      modulePath: join(asset.directory, asset.file),
      exportName: asset.exportName,
      functionName: name,
      cwd: asset.directory,
      // The service's environment (table, endpoints, Powertools switches), then the function's own.
      env: { ...environment, ...asset.staticEnvironment, ...extraEnvironment },
      output: 'inherit',
    });
    started.push(lambda);
    return lambda;
  };

  const functions: Record<string, HttpLambda> = {};
  for (const spec of routeFunctions(options.routes)) {
    const lambda = await startProcess(spec.name);
    functions[spec.name] = (event, context) =>
      lambda.invoke(event, {
        awsRequestId: context.awsRequestId,
        timeoutMs: context.getRemainingTimeInMillis(),
      });
  }

  let matchmaker: Promise<LambdaProcess> | undefined;
  const scope = { region: options.region, accountId: options.accountId };
  const workerEnvironment = {
    EVENT_SOURCE: options.eventSource,
    MATCHMAKER_INTERVAL_MS: String(Math.max(options.matchmakerIntervalMs, 1000)),
  };
  let trigger: { stream: LocalStreamTrigger; clients: Array<{ destroy(): void }> } | undefined;
  return {
    functions,
    matchmakerTick: async () => {
      // Started at the first tick: EVENTBRIDGE_ENDPOINT is known once the gateway listens.
      matchmaker ??= startProcess(matchmakerFunctionSpec.name, {
        EVENT_SOURCE: options.eventSource,
        // The local timer paces the ticks; each invocation runs one (detail.maxTicks).
        MATCHMAKER_INTERVAL_MS: '100',
      });
      await (await matchmaker).invoke(scheduledEvent(scope, { maxTicks: 1 }), {
        timeoutMs: matchmakerFunctionSpec.timeoutSeconds * 1000,
      });
    },
    startTriggers: () => {
      // As the event source mapping in AWS: the table's stream, filtered to QUEUED tickets,
      // invokes the worker bundle, one batch at a time.
      const dynamodb = createDynamoClient({ dynamoDbEndpoint, region: options.region });
      const streams = new DynamoDBStreamsClient({
        endpoint: dynamoDbEndpoint,
        region: options.region,
        credentials: options.credentials,
      });
      const worker = startProcess(matchmakerWorkerFunctionSpec.name, workerEnvironment);
      const stream = new LocalStreamTrigger(
        dynamodb,
        streams,
        options.tableName,
        async (records) => {
          await (await worker).invoke(
            { Records: records },
            { timeoutMs: matchmakerWorkerFunctionSpec.timeoutSeconds * 1000 },
          );
        },
        (error) => process.stderr.write(`stream trigger failed: ${String(error)}\n`),
      );
      trigger = { stream, clients: [dynamodb, streams] };
      void stream
        .start()
        .catch((error: unknown) => process.stderr.write(`stream trigger: ${String(error)}\n`));
    },
    stopTriggers: async () => {
      await trigger?.stream.stop();
      for (const client of trigger?.clients ?? []) client.destroy();
      trigger = undefined;
    },
    stop: async () => {
      await Promise.all(started.map((lambda) => lambda.stop()));
    },
    description: `Lambda bundles of ${assemblyDir}, one process per function`,
  };
}

/** The named export of a loaded module, checked to be a function; its signature is the caller's claim. */
function exportedFunction<Handler>(loaded: unknown, origin: string, exportName: string): Handler {
  const value = (loaded as Record<string, unknown>)[exportName];
  if (typeof value !== 'function') throw new Error(`${origin} does not export a function '${exportName}'`);
  return value as Handler;
}
