import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { runtimeDependencies as RuntimeDependenciesFactory } from '../handlers/runtime';
import { routes as defaultRoutes, type HttpFunctionSpec, type Route, routeFunctions } from '../routes';
import { createDynamoClient } from '../shared/clients';
import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION, matchmakerSettingsFromEnv } from '../shared/config';
import { DEFAULT_TABLE_NAME, ensureTable } from '../store/table-bootstrap';
import { runMatchmakerTick, type TickReport } from '../usecases/matchmaker';
import { type RunningDynamoDbLocal, startDynamoDbLocal } from './dynamodb-local';
import { createGateway, type HttpLambda } from './gateway';
import { LocalEventSink } from './local-event-sink';
import type { LocalCredentials } from './sigv4';

/** The project root, where route-table entry paths start. */
const PROJECT_ROOT = resolve(__dirname, '..', '..');

export const DEFAULT_LOCAL_CREDENTIALS: LocalCredentials = { accessKeyId: 'test', secretAccessKey: 'test' };
export const DEFAULT_PORT = 8080;

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
  eventSource: string;
  /** Print each published event on stdout. */
  printEvents: boolean;
}

export interface LocalService {
  url: string;
  dynamoDbEndpoint: string;
  options: LocalServiceOptions;
  /** Where the local matchmaker publishes; watch it live at GET /_local/events. */
  events: LocalEventSink;
  /** Runs one matchmaker tick now (tests; the timer runs them on its own). */
  runMatchmakerTick(): Promise<TickReport>;
  stop(): Promise<void>;
}

export function localServiceOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): LocalServiceOptions {
  const port = env.PORT === undefined ? DEFAULT_PORT : Number(env.PORT);
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
  try {
    const client = createDynamoClient({ dynamoDbEndpoint, region: options.region });
    await ensureTable(client, options.tableName);
    client.destroy();

    // The handlers read their settings from the environment, exactly as in Lambda.
    Object.assign(process.env, {
      TABLE_NAME: options.tableName,
      DYNAMODB_ENDPOINT: dynamoDbEndpoint,
      SLOTFILL_REGION: options.region,
      SLOTFILL_ACCOUNT_ID: options.accountId,
      POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
      POWERTOOLS_TRACE_ENABLED: 'false',
    });
    const functions: Record<string, HttpLambda> = {};
    for (const spec of routeFunctions(options.routes)) functions[spec.name] = loadHandler(spec);

    const scope = { region: options.region, accountId: options.accountId };
    const events = new LocalEventSink(
      scope,
      options.eventSource,
      options.printEvents ? undefined : () => undefined,
    );
    // The matchmaker runs the same tick the scheduled Lambda runs, on a timer.
    // Loaded only now, like the handlers, so Powertools sees the environment set above.
    const { runtimeDependencies } = require('../handlers/runtime') as {
      runtimeDependencies: typeof RuntimeDependenciesFactory;
    };
    const matchmakerContext = runtimeDependencies().useCases;
    const owner = `local-${randomUUID()}`;
    const leaseMs = Math.max(options.matchmakerIntervalMs, 1000) * 3;
    const tick = () => runMatchmakerTick(matchmakerContext, events, owner, leaseMs);
    let inFlight: Promise<unknown> | undefined;
    const timer =
      options.matchmakerIntervalMs > 0
        ? setInterval(() => {
            if (inFlight) return;
            inFlight = tick()
              .catch((error: unknown) => process.stderr.write(`matchmaker tick failed: ${String(error)}\n`))
              .finally(() => {
                inFlight = undefined;
              });
          }, options.matchmakerIntervalMs)
        : undefined;

    const server = createGateway({
      routes: options.routes,
      functions,
      credentials: options.credentials,
      accountId: options.accountId,
      localEndpoints: (request, response, url) => {
        if (request.method !== 'GET' || url.pathname !== '/_local/events') return false;
        streamEvents(events, request, response);
        return true;
      },
    });
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => resolveListen());
    });
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://${options.host}:${port}`,
      dynamoDbEndpoint,
      options,
      events,
      runMatchmakerTick: tick,
      stop: async () => {
        if (timer) clearInterval(timer);
        // Let a running tick finish before DynamoDB Local goes away under it.
        await inFlight;
        await new Promise<void>((done) => server.close(() => done()));
        server.closeAllConnections();
        await dynamo?.stop();
      },
    };
  } catch (error) {
    await dynamo?.stop();
    throw error;
  }
}

/** Server-sent events: each published event as one `data:` line, recent ones first. */
function streamEvents(events: LocalEventSink, request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  const stop = events.watch((envelope) => response.write(`data: ${JSON.stringify(envelope)}\n\n`));
  request.on('close', stop);
}

function loadHandler(spec: HttpFunctionSpec): HttpLambda {
  // Load the same entry file the stack bundles for Lambda, so local and AWS run one code path.
  const entryModule = require(join(PROJECT_ROOT, spec.entry)) as Record<string, unknown>;
  const handler = entryModule[spec.exportName];
  if (typeof handler !== 'function')
    throw new Error(`${spec.entry} does not export a function '${spec.exportName}'`);
  return handler as HttpLambda;
}
