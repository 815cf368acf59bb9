/**
 * A full matchmaking pass on DynamoDB Local over 10,000 waiting tickets (5v5 skill rule set):
 * wall time, and DynamoDB capacity per matched player. DynamoDB Local's own ConsumedCapacity
 * is not what AWS bills, so capacity is computed from the bytes each request reads and writes
 * with DynamoDB's published rules: 1 write unit per started KB per item, 1 read unit per started
 * 4 KB (half when eventually consistent), both doubled inside transactions. The baseline in the
 * same run is the pure engine pass over the same tickets, so the ratio is what storage costs.
 * Run: npx tsx test/bench/pass-on-dynamodb.bench.ts
 */
import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { runMatchmakingPass } from '../../lambdas/engine/matching';
import { compileRuleSetBody } from '../../lambdas/engine/rules';
import { startDynamoDbLocal } from '../../lambdas/local/dynamodb-local';
import { createDocumentClient, createDynamoClient } from '../../lambdas/shared/clients';
import { DynamoMatchmakingStore } from '../../lambdas/store/dynamo-store';
import type { TicketRecord } from '../../lambdas/store/records';
import { MAX_BATCH_TICKETS } from '../../lambdas/store/store';
import { ensureTable } from '../../lambdas/store/table-bootstrap';
import { createConfiguration } from '../../lambdas/usecases/configurations';
import type { UseCaseContext } from '../../lambdas/usecases/context';
import { runPass } from '../../lambdas/usecases/matchmaker';
import { createRuleSet } from '../../lambdas/usecases/rule-sets';
import { benchPool, SKILL_5V5_BENCH } from './matching.bench';

const TICKETS = Number(process.env.BENCH_PASS_TICKETS ?? 10_000);

interface CapacityMeter {
  readUnits: number;
  writeUnits: number;
}

/** DynamoDB's item size: attribute names plus values, as its documentation describes them. */
function itemBytes(item: Record<string, unknown>): number {
  return JSON.stringify(marshall(item, { removeUndefinedValues: true, convertClassInstanceToMap: true }))
    .length;
}

type Sendable = { input: Record<string, unknown>; constructor: { name: string } };

/** Wraps the document client so every request is priced by the bytes it moves. */
function meteredClient(client: DynamoDBDocumentClient, meter: CapacityMeter): DynamoDBDocumentClient {
  const send = client.send.bind(client) as (command: Sendable) => Promise<Record<string, unknown>>;
  const metered = async (command: Sendable) => {
    const output = await send(command);
    const name = command.constructor.name;
    const input = command.input;
    const writeUnits = (item: Record<string, unknown>) => Math.max(1, Math.ceil(itemBytes(item) / 1024));
    if (name === 'TransactWriteCommand') {
      for (const entry of (input.TransactItems as Array<
        Record<string, { Item?: Record<string, unknown> }>
      >) ?? []) {
        const operation = Object.values(entry)[0];
        meter.writeUnits += 2 * (operation?.Item ? writeUnits(operation.Item) : 1);
      }
    } else if (name === 'PutCommand') {
      meter.writeUnits += writeUnits(input.Item as Record<string, unknown>);
    } else if (name === 'UpdateCommand' || name === 'DeleteCommand') {
      meter.writeUnits += 1;
    } else if (name === 'BatchWriteCommand') {
      for (const requests of Object.values(input.RequestItems as Record<string, unknown[]>))
        meter.writeUnits += requests.length;
    } else if (name === 'QueryCommand' || name === 'GetCommand' || name === 'BatchGetCommand') {
      const items =
        (output.Items as Record<string, unknown>[] | undefined) ??
        (output.Item ? [output.Item as Record<string, unknown>] : undefined) ??
        Object.values((output.Responses as Record<string, Record<string, unknown>[]>) ?? {}).flat();
      const bytes = items.reduce((total, item) => total + itemBytes(item), 0);
      const consistent = input.ConsistentRead === true || name === 'GetCommand';
      meter.readUnits += Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 1 : 0.5);
    }
    return output;
  };
  return new Proxy(client, {
    get: (target, property, receiver) =>
      property === 'send' ? metered : Reflect.get(target, property, receiver),
  });
}

export interface PassOnDynamoRow {
  tickets: number;
  passSeconds: number;
  engineSeconds: number;
  ratio: number;
  matchesCommitted: number;
  matchedPlayers: number;
  writeUnitsPerMatchedPlayer: number;
  readUnitsPerMatchedPlayer: number;
}

export async function runPassOnDynamoBenchmark(): Promise<PassOnDynamoRow> {
  const dynamo = await startDynamoDbLocal();
  const client = createDynamoClient({ dynamoDbEndpoint: dynamo.endpoint, region: 'us-east-1' });
  const tableName = `bench-pass-${randomUUID()}`;
  try {
    await ensureTable(client, tableName, { stream: false });
    const documents = createDocumentClient(client);
    const seedStore = new DynamoMatchmakingStore({ tableName, client: documents });
    let now = 1_700_000_000_000;
    let ids = 0;
    const context: UseCaseContext = { store: seedStore, now: () => now, newId: () => `id-${ids++}` };
    await createRuleSet(context, { name: 'bench', ruleSetBody: SKILL_5V5_BENCH });
    await createConfiguration(context, {
      name: 'bench',
      ruleSetName: 'bench',
      requestTimeoutSeconds: 3600,
      acceptanceRequired: false,
    });
    // Seed the pool already SEARCHING, as a steady-state pool would be, in batched transactions.
    const pool = benchPool(TICKETS, 7);
    const tickets: TicketRecord[] = pool.map((ticket) => ({
      ticketId: ticket.ticketId,
      kind: 'matchmaking',
      configurationName: 'bench',
      status: 'QUEUED',
      players: ticket.players,
      startTime: ticket.startTime,
      version: 1,
    }));
    for (let start = 0; start < tickets.length; start += 25) {
      await Promise.all(tickets.slice(start, start + 25).map((ticket) => seedStore.createTicket(ticket)));
    }
    for (let start = 0; start < tickets.length; start += MAX_BATCH_TICKETS) {
      const batch = tickets.slice(start, start + MAX_BATCH_TICKETS);
      await seedStore.replaceTickets(
        batch.map((before) => ({ before, after: { ...before, status: 'SEARCHING', version: 2 } })),
      );
    }
    now = Math.max(...pool.map((t) => t.startTime)) + 1000;

    const engineStarted = performance.now();
    runMatchmakingPass(compileRuleSetBody(SKILL_5V5_BENCH), pool, now);
    const engineSeconds = (performance.now() - engineStarted) / 1000;

    const meter: CapacityMeter = { readUnits: 0, writeUnits: 0 };
    const meteredStore = new DynamoMatchmakingStore({ tableName, client: meteredClient(documents, meter) });
    const started = performance.now();
    const report = await runPass({ ...context, store: meteredStore }, 'bench');
    const passSeconds = (performance.now() - started) / 1000;
    const matchedPlayers = report.matchesCommitted * 10;
    return {
      tickets: TICKETS,
      passSeconds,
      engineSeconds,
      ratio: passSeconds / engineSeconds,
      matchesCommitted: report.matchesCommitted,
      matchedPlayers,
      writeUnitsPerMatchedPlayer: meter.writeUnits / Math.max(1, matchedPlayers),
      readUnitsPerMatchedPlayer: meter.readUnits / Math.max(1, matchedPlayers),
    };
  } finally {
    client.destroy();
    await dynamo.stop();
  }
}

if (require.main === module) {
  runPassOnDynamoBenchmark().then(
    (row) => {
      process.stdout.write(
        `${[
          '| tickets | pass on DynamoDB Local (s) | engine alone (s, baseline) | ratio | matches | write units / matched player | read units / matched player |',
          '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
          `| ${row.tickets} | ${row.passSeconds.toFixed(1)} | ${row.engineSeconds.toFixed(3)} | ${row.ratio.toFixed(0)} | ${row.matchesCommitted} | ${row.writeUnitsPerMatchedPlayer.toFixed(2)} | ${row.readUnitsPerMatchedPlayer.toFixed(2)} |`,
        ].join('\n')}\n`,
      );
    },
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exit(1);
    },
  );
}
