/**
 * Time to match end to end: the official SDK sends StartMatchmaking to `npm start`'s service
 * (matchmaker interval 1 s) at a steady rate, and each ticket's time runs from just before its
 * request to the MatchmakingSucceeded event naming it (published after the COMPLETED commit).
 * Loads: 50 tickets/s into one 2v2 configuration; 10 configurations × 10 tickets/s; and, to
 * see what the number of configurations costs, one configuration at the same rate per
 * configuration (10/s) and one at the same total rate (100/s).
 * Each row sends its load for BENCH_TTM_WARMUP_SECONDS (5) unmeasured first: steady state.
 * The baseline, measured in the same run on the same DynamoDB Local, is the timer alone (no
 * wake-up on arrival): what a ticket waited before the matchmaker was triggered by arrivals.
 * Each row also gives the CPU a ticket cost this process (service, matchmaker and the SDK client
 * together) and DynamoDB Local: on a shared machine latency moves with everything else running,
 * CPU per ticket much less, and it says what rate the machine can take at all.
 * Run: npx tsx test/bench/time-to-match.bench.ts
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateMatchmakingConfigurationCommand,
  CreateMatchmakingRuleSetCommand,
  GameLiftClient,
  StartMatchmakingCommand,
} from '@aws-sdk/client-gamelift';
import { startDynamoDbLocal } from '../../lambdas/local/dynamodb-local';
import { localServiceOptionsFromEnv, startLocalService } from '../../lambdas/local/service';
import { ownCpuMs } from './cpu';

// The service's handlers would print their metrics on stdout, among the table.
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
// The matchmaker's time is measured, not the abuse limits: their counters are extra writes on
// DynamoDB Local (at 50 requests/s the title counter alone took a request's p50 from about
// 0.5 to 2 s there). `BENCH_TTM_RATE_LIMITS=on` keeps the defaults.
if (process.env.BENCH_TTM_RATE_LIMITS !== 'on') {
  process.env.SLOTFILL_PLAYER_TICKETS_PER_MINUTE = '0';
  process.env.SLOTFILL_TITLE_TICKETS_PER_SECOND = '0';
}

const tsx = join(__dirname, '..', '..', 'node_modules', 'tsx', 'dist', 'cli.mjs');
/** Scales both loads (e.g. 0.2 on a machine that cannot take 50 requests a second locally). */
const RATE_SCALE = Number(process.env.BENCH_TTM_RATE_SCALE ?? 1);
const SECONDS = Number(process.env.BENCH_TTM_SECONDS ?? 8);
/** Seconds of the same load sent first in each row and not measured (0: measure from cold). */
const WARMUP_SECONDS = Number(process.env.BENCH_TTM_WARMUP_SECONDS ?? 5);
const INTERVAL_MS = 1000;
/** After the last request, how long unmatched tickets may still complete. */
const DRAIN_MS = 10_000;

const twoVersusTwo = {
  ruleLanguageVersion: '1.0',
  playerAttributes: [{ name: 'skill', type: 'number', default: 10 }],
  teams: [
    { name: 'red', minPlayers: 2, maxPlayers: 2 },
    { name: 'blue', minPlayers: 2, maxPlayers: 2 },
  ],
};

interface Load {
  name: string;
  configurations: number;
  ticketsPerSecondEach: number;
}

interface Row {
  load: string;
  trigger: string;
  tickets: number;
  failed: number;
  matched: number;
  p50: number;
  p95: number;
  /** CPU of this process (service, matchmaker and the SDK client) per ticket sent, ms. */
  nodeCpuMsPerTicket: number;
  /** CPU of DynamoDB Local per ticket sent, ms (NaN where /proc can't tell). */
  dynamoCpuMsPerTicket: number;
}

/**
 * CPU seconds a process has used so far, from /proc (Linux): latency on a shared machine moves
 * with everything else running, the CPU a ticket costs much less.
 */
function processCpuSeconds(pid: number | undefined): number {
  if (pid === undefined || process.platform !== 'linux') return Number.NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function measure(
  dynamoDbEndpoint: string,
  dynamoDbPid: number | undefined,
  load: Load,
  wakeOnArrival: boolean,
): Promise<Row> {
  const service = await startLocalService({
    ...localServiceOptionsFromEnv({}),
    port: 0,
    dynamoDbEndpoint,
    tableName: `bench-ttm-${randomUUID()}`,
    matchmakerIntervalMs: INTERVAL_MS,
    wakeOnArrival,
    printEvents: false,
  });
  const sdk = new GameLiftClient({
    endpoint: service.url,
    region: 'us-east-1',
    credentials: service.options.credentials,
    maxAttempts: 1,
  });
  const sentAt = new Map<string, number>();
  const matchedAt = new Map<string, number>();
  const stopWatching = service.events.watch((envelope) => {
    const detail = envelope.detail as { type?: string; tickets?: Array<{ ticketId: string }> };
    if (detail.type !== 'MatchmakingSucceeded') return;
    const now = performance.now();
    for (const ticket of detail.tickets ?? [])
      if (!matchedAt.has(ticket.ticketId)) matchedAt.set(ticket.ticketId, now);
  });
  try {
    await sdk.send(
      new CreateMatchmakingRuleSetCommand({ Name: 'ttm', RuleSetBody: JSON.stringify(twoVersusTwo) }),
    );
    const names = Array.from({ length: load.configurations }, (_, index) => `ttm-${index}`);
    for (const name of names)
      await sdk.send(
        new CreateMatchmakingConfigurationCommand({
          Name: name,
          RuleSetName: 'ttm',
          RequestTimeoutSeconds: 120,
          AcceptanceRequired: false,
        }),
      );
    // Let the service's first sweep pass over the empty configurations.
    await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
    /**
     * Sends the load for `seconds`, then waits until (nearly) every ticket matched or DRAIN_MS
     * passed. Tickets of an unfinished match (fewer than 4 left over) never match. A refused or
     * timed-out request is counted, not fatal: an overloaded machine shows as failures.
     */
    const sendLoad = async (seconds: number): Promise<number> => {
      const requests: Array<Promise<unknown>> = [];
      const gapMs = 1000 / load.ticketsPerSecondEach;
      const total = Math.round(seconds * load.ticketsPerSecondEach);
      const start = performance.now();
      for (let index = 0; index < total; index++) {
        const due = start + index * gapMs;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        for (const name of names) {
          const ticketId = randomUUID();
          sentAt.set(ticketId, performance.now());
          requests.push(
            sdk.send(
              new StartMatchmakingCommand({
                ConfigurationName: name,
                TicketId: ticketId,
                Players: [{ PlayerId: `p-${ticketId}`, PlayerAttributes: { skill: { N: 10 } } }],
              }),
            ),
          );
        }
      }
      const failed = (await Promise.allSettled(requests)).filter((r) => r.status === 'rejected').length;
      const deadline = performance.now() + DRAIN_MS;
      while (matchedAt.size < sentAt.size - failed - 3 * load.configurations && performance.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 100));
      return failed;
    };
    // Warm-up, not measured: the same load first, so the rows compare the matchmaker in its
    // steady state, not how fast DynamoDB Local's JVM and this process compile their code (from
    // a cold start the first seconds of the 10-configuration load took its p95 from about 2 to 7 s).
    if (WARMUP_SECONDS > 0) await sendLoad(WARMUP_SECONDS);
    sentAt.clear();
    matchedAt.clear();
    const nodeCpuBefore = ownCpuMs() / 1000;
    const dynamoCpuBefore = processCpuSeconds(dynamoDbPid);
    const failed = await sendLoad(SECONDS);
    const perTicketMs = (seconds: number) => (seconds * 1000) / Math.max(1, sentAt.size);
    const nodeCpuMsPerTicket = perTicketMs(ownCpuMs() / 1000 - nodeCpuBefore);
    const dynamoCpuMsPerTicket = perTicketMs(processCpuSeconds(dynamoDbPid) - dynamoCpuBefore);
    const times = [...matchedAt].flatMap(([id, at]) => {
      const sent = sentAt.get(id);
      return sent === undefined ? [] : [at - sent];
    });
    times.sort((a, b) => a - b);
    return {
      load: load.name,
      trigger: wakeOnArrival ? 'wake on arrival + 1 s timer' : 'baseline: 1 s timer only',
      tickets: sentAt.size,
      failed,
      matched: times.length,
      p50: percentile(times, 50),
      p95: percentile(times, 95),
      nodeCpuMsPerTicket,
      dynamoCpuMsPerTicket,
    };
  } finally {
    stopWatching();
    sdk.destroy();
    await service.stop();
  }
}

/**
 * Each measurement runs in a process of its own: the service's handlers bind to their table
 * when first loaded, so a second service in one process would not start clean.
 */
function measureInChild(
  dynamoDbEndpoint: string,
  dynamoDbPid: number | undefined,
  load: Load,
  wake: boolean,
): Row {
  const result = spawnSync(
    process.execPath,
    [tsx, __filename, 'child', JSON.stringify({ dynamoDbEndpoint, dynamoDbPid, load, wake })],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    },
  );
  const line = result.stdout.trim().split('\n').pop() ?? '';
  if (result.status !== 0 || !line.startsWith('{'))
    throw new Error(`measurement failed (exit ${result.status})`);
  return JSON.parse(line) as Row;
}

async function main() {
  if (process.argv[2] === 'child') {
    const { dynamoDbEndpoint, dynamoDbPid, load, wake } = JSON.parse(process.argv[3] ?? '{}') as {
      dynamoDbEndpoint: string;
      dynamoDbPid?: number;
      load: Load;
      wake: boolean;
    };
    process.stdout.write(`${JSON.stringify(await measure(dynamoDbEndpoint, dynamoDbPid, load, wake))}\n`);
    process.exit(0);
  }
  const dynamo = await startDynamoDbLocal();
  const loads: Load[] = [
    {
      name: `1 configuration × ${50 * RATE_SCALE} tickets/s`,
      configurations: 1,
      ticketsPerSecondEach: 50 * RATE_SCALE,
    },
    // One configuration at the ten-configuration row's rate per configuration: the pair shows
    // what ten configurations cost a ticket over one (the time to gather a 2v2 at 10 tickets/s
    // is the same in both).
    {
      name: `1 configuration × ${10 * RATE_SCALE} tickets/s`,
      configurations: 1,
      ticketsPerSecondEach: 10 * RATE_SCALE,
    },
    {
      name: `10 configurations × ${10 * RATE_SCALE} tickets/s`,
      configurations: 10,
      ticketsPerSecondEach: 10 * RATE_SCALE,
    },
    // The ten configurations' whole rate into one: the same work for the machine, so the
    // difference from the row above is what splitting it over configurations costs.
    {
      name: `1 configuration × ${100 * RATE_SCALE} tickets/s`,
      configurations: 1,
      ticketsPerSecondEach: 100 * RATE_SCALE,
    },
  ];
  const rows: Row[] = [];
  try {
    for (const load of loads)
      for (const wake of [false, true]) {
        const row = measureInChild(dynamo.endpoint, dynamo.pid, load, wake);
        rows.push(row);
        process.stderr.write(`${JSON.stringify(row)}\n`);
      }
  } finally {
    await dynamo.stop();
  }
  process.stdout.write(
    `StartMatchmaking → MatchmakingSucceeded through the official SDK, ${SECONDS} s of arrivals, matchmaker interval ${INTERVAL_MS} ms\n\n`,
  );
  process.stdout.write(
    '| load | trigger | tickets | failed requests | matched | p50 ms | p95 ms | p95 vs baseline | CPU ms/ticket: service + SDK | CPU ms/ticket: DynamoDB Local |\n|---|---|---|---|---|---|---|---|---|---|\n',
  );
  for (const row of rows) {
    const baseline = rows.find((r) => r.load === row.load && r.trigger.startsWith('baseline'));
    const ratio = baseline && row.matched > 0 ? (row.p95 / baseline.p95).toFixed(2) : '';
    const ms = (value: number) => (row.matched > 0 ? value.toFixed(0) : 'n/a');
    const cpu = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : 'n/a');
    process.stdout.write(
      `| ${row.load} | ${row.trigger} | ${row.tickets} | ${row.failed} | ${row.matched} | ${ms(row.p50)} | ${ms(row.p95)} | ${ratio} | ${cpu(row.nodeCpuMsPerTicket)} | ${cpu(row.dynamoCpuMsPerTicket)} |\n`,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
