import { randomUUID } from 'node:crypto';
import {
  type DynamoDBClient,
  ProvisionedThroughputExceededException,
  ThrottlingException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Player } from '../../lambdas/engine/model';
import { createDocumentClient, createDynamoClient } from '../../lambdas/shared/clients';
import { DynamoMatchmakingStore } from '../../lambdas/store/dynamo-store';
import type { MatchmakingEvent } from '../../lambdas/store/records';
import { ensureTable } from '../../lambdas/store/table-bootstrap';
import { createConfiguration } from '../../lambdas/usecases/configurations';
import type { UseCaseContext } from '../../lambdas/usecases/context';
import type { EventSink } from '../../lambdas/usecases/event-sink';
import { createRuleSet } from '../../lambdas/usecases/rule-sets';
import { twoVersusTwoRuleSet } from './rule-sets';

/**
 * Use-case-level test bed for the matchmaker: a table of its own in the run's DynamoDB Local,
 * a store whose DocumentClient can be made to fail on chosen commands, a clock the test moves
 * and ids that are deterministic within the table.
 */

export type Item = Record<string, unknown>;

// ---- fault injection -------------------------------------------------------------------------

export type CommandKind =
  | 'TransactWrite'
  | 'Query'
  | 'BatchWrite'
  | 'BatchGet'
  | 'Get'
  | 'Put'
  | 'Update'
  | 'Scan'
  | 'Other';

/** One item of a TransactWrite, reduced to what fault rules match on. */
export interface TransactOperation {
  op: 'Put' | 'Update' | 'Delete' | 'ConditionCheck';
  pk: string;
  sk: string;
  /** The written item, for Put. */
  item?: Item;
  /** The update's values, for Update. */
  values?: Item;
}

export interface SentCommand {
  kind: CommandKind;
  input: Item;
  /** For TransactWrite: its items. */
  operations: TransactOperation[];
}

export interface FaultRule {
  /** Shown in failure messages. */
  name: string;
  matches(command: SentCommand): boolean;
  /** Let this many matching commands through before failing. */
  skip?: number;
  /** How many matching commands fail (after `skip`); default 1. */
  times?: number;
  /**
   * `before`: the command never reaches DynamoDB (throttled, conflicted). `after`: it is applied
   * and then the caller sees the error, as with a lost response or a process dying right after.
   */
  when?: 'before' | 'after';
  /** The error the caller sees; without one the command goes through (after `hook`). */
  error?(command: SentCommand): Error;
  /** Runs before the command is sent: lets a test act at exactly this point of a use case. */
  hook?(command: SentCommand): Promise<void>;
}

interface ArmedRule extends FaultRule {
  seen: number;
  fired: number;
}

export class FaultInjector {
  private readonly rules: ArmedRule[] = [];
  /** Every command sent through the faulty client, in order. */
  readonly sent: SentCommand[] = [];

  /** Arms a rule; returns a handle telling how often it fired. */
  inject(rule: FaultRule): { fired(): number } {
    const armed: ArmedRule = { ...rule, seen: 0, fired: 0 };
    this.rules.push(armed);
    return { fired: () => armed.fired };
  }

  clear(): void {
    this.rules.length = 0;
  }

  /** The rule that fails this command, if any (counting it as seen by every matching rule). */
  decide(command: SentCommand): ArmedRule | undefined {
    this.sent.push(command);
    let chosen: ArmedRule | undefined;
    for (const rule of this.rules) {
      if (!rule.matches(command)) continue;
      rule.seen++;
      const skip = rule.skip ?? 0;
      const times = rule.times ?? 1;
      if (chosen === undefined && rule.seen > skip && rule.fired < times) {
        rule.fired++;
        chosen = rule;
      }
    }
    return chosen;
  }
}

function kindOf(command: unknown): CommandKind {
  if (command instanceof TransactWriteCommand) return 'TransactWrite';
  if (command instanceof QueryCommand) return 'Query';
  if (command instanceof BatchWriteCommand) return 'BatchWrite';
  if (command instanceof BatchGetCommand) return 'BatchGet';
  if (command instanceof GetCommand) return 'Get';
  if (command instanceof PutCommand) return 'Put';
  if (command instanceof UpdateCommand) return 'Update';
  if (command instanceof ScanCommand) return 'Scan';
  return 'Other';
}

function describeCommand(command: unknown): SentCommand {
  const kind = kindOf(command);
  const input = ((command as { input?: Item }).input ?? {}) as Item;
  const operations: TransactOperation[] = [];
  if (kind === 'TransactWrite') {
    for (const entry of (input.TransactItems as Item[] | undefined) ?? []) {
      for (const op of ['Put', 'Update', 'Delete', 'ConditionCheck'] as const) {
        const body = entry[op] as Item | undefined;
        if (!body) continue;
        const key = (op === 'Put' ? body.Item : body.Key) as Item;
        operations.push({
          op,
          pk: String(key.pk),
          sk: String(key.sk),
          ...(op === 'Put' ? { item: body.Item as Item } : {}),
          ...(op === 'Update' ? { values: body.ExpressionAttributeValues as Item } : {}),
        });
      }
    }
  }
  return { kind, input, operations };
}

/** The real DocumentClient, except that `send` consults the injector first (and after). */
export function faultyClient(real: DynamoDBDocumentClient, faults: FaultInjector): DynamoDBDocumentClient {
  const delegate = real.send.bind(real) as (command: unknown) => Promise<unknown>;
  const send = async (command: unknown): Promise<unknown> => {
    const described = describeCommand(command);
    const rule = faults.decide(described);
    if (rule?.hook) await rule.hook(described);
    if (rule?.error && (rule.when ?? 'before') === 'before') throw rule.error(described);
    const result = await delegate(command);
    if (rule?.error) throw rule.error(described);
    return result;
  };
  return new Proxy(real, {
    get(target, property, receiver) {
      if (property === 'send') return send;
      return Reflect.get(target, property, receiver);
    },
  });
}

// Command shapes the matchmaker sends, for fault rules.

const ticketPuts = (command: SentCommand) =>
  command.operations.filter((o) => o.op === 'Put' && o.pk.startsWith('TICKET#'));

export const commands = {
  /** A match committed in one transaction (small match). */
  matchCommit: (command: SentCommand): boolean =>
    command.kind === 'TransactWrite' &&
    command.operations.some(
      (o) => o.op === 'Put' && o.pk.startsWith('MATCH#') && o.item?.state === 'COMMITTED',
    ),
  /** The first step of a large match: its RESERVING match item. */
  largeMatchReserving: (command: SentCommand): boolean =>
    command.kind === 'TransactWrite' &&
    command.operations.some(
      (o) => o.op === 'Put' && o.pk.startsWith('MATCH#') && o.item?.state === 'RESERVING',
    ),
  /** A chunk reserving tickets of a large match (every item a ticket put to PLACING). */
  reservationChunk: (command: SentCommand): boolean =>
    command.kind === 'TransactWrite' &&
    command.operations.length > 0 &&
    command.operations.every(
      (o) => o.op === 'Put' && o.pk.startsWith('TICKET#') && o.item?.status === 'PLACING',
    ),
  /** The commit point of a large match: RESERVING → COMMITTED with its events. */
  committedFlip: (command: SentCommand): boolean =>
    command.kind === 'TransactWrite' &&
    command.operations.some(
      (o) => o.op === 'Update' && o.pk.startsWith('MATCH#') && o.values?.[':committed'] === 'COMMITTED',
    ),
  /** finishPlacing: reserved tickets to their final (COMPLETED) states, no match item. */
  finishPlacing: (command: SentCommand): boolean =>
    command.kind === 'TransactWrite' &&
    !command.operations.some((o) => o.pk.startsWith('MATCH#')) &&
    ticketPuts(command).length > 0 &&
    ticketPuts(command).every((o) => o.item?.status === 'COMPLETED'),
  /** moveToSearching: a batch of tickets to SEARCHING with one MatchmakingSearching event. */
  moveToSearching: (command: SentCommand): boolean =>
    command.kind === 'TransactWrite' &&
    ticketPuts(command).length > 0 &&
    ticketPuts(command).every((o) => o.item?.status === 'SEARCHING') &&
    command.operations.some((o) => o.pk.startsWith('OUTBOX#')),
  /** readPool / hasActiveTickets: a Query on the pool index. */
  poolRead: (command: SentCommand): boolean => command.kind === 'Query' && command.input.IndexName === 'pool',
  /** deleteOutbox. */
  outboxDelete: (command: SentCommand): boolean => command.kind === 'BatchWrite',
};

// Errors as the SDK would surface them from AWS.

const metadata = { httpStatusCode: 400, requestId: 'fault-injected', attempts: 1, totalRetryDelay: 0 };

/** A transaction cancelled by a conflicting concurrent write on its first item. */
export function transactionConflict(command: SentCommand): TransactionCanceledException {
  const reasons = command.operations.map((_, index) =>
    index === 0
      ? { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' }
      : { Code: 'None' },
  );
  return new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
    $metadata: metadata,
    CancellationReasons: reasons,
  });
}

export function throughputExceeded(): ProvisionedThroughputExceededException {
  return new ProvisionedThroughputExceededException({
    message:
      'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
    $metadata: metadata,
  });
}

export function throttled(): ThrottlingException {
  return new ThrottlingException({
    message: 'Rate of requests exceeds the allowed throughput.',
    $metadata: metadata,
  });
}

/** Not an AWS error: the process (or its network) failing under the call. */
export function networkFailure(): Error {
  const error = new Error('socket hang up');
  error.name = 'TimeoutError';
  return error;
}

// ---- the test bed ----------------------------------------------------------------------------

export interface Clock {
  now(): number;
  advance(ms: number): number;
  set(ms: number): void;
}

export function manualClock(start = Date.UTC(2026, 0, 1)): Clock {
  let current = start;
  return {
    now: () => current,
    advance: (ms) => {
      current += ms;
      return current;
    },
    set: (ms) => {
      current = ms;
    },
  };
}

export interface Harness {
  tableName: string;
  dynamo: DynamoDBClient;
  /** The real DocumentClient, never faulty: for scans and checks. */
  documents: DynamoDBDocumentClient;
  faults: FaultInjector;
  /** A store on the faulty client (faults only fire once armed). */
  store: DynamoMatchmakingStore;
  clock: Clock;
  context: UseCaseContext;
  /** A new store instance and context on the same table, as a fresh Lambda would build them. */
  freshContext(): UseCaseContext;
  destroy(): void;
}

/** `stream`: the table keeps a stream, as the deployed one does (only a stream reader's test needs it). */
export async function createHarness(options: { stream?: boolean } = {}): Promise<Harness> {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  if (!endpoint) throw new Error('DYNAMODB_ENDPOINT is not set: the jest globalSetup starts DynamoDB Local');
  const tableName = `slotfill-mm-${randomUUID()}`;
  const dynamo = createDynamoClient({ dynamoDbEndpoint: endpoint, region: 'us-east-1' });
  await ensureTable(dynamo, tableName, { stream: options.stream ?? false });
  const documents = createDocumentClient(dynamo);
  const faults = new FaultInjector();
  const store = new DynamoMatchmakingStore({ tableName, client: faultyClient(documents, faults) });
  const clock = manualClock();
  // Ordered within the table; the prefix keeps ids (and the request tokens derived from them)
  // apart from other test files' tables in the same DynamoDB Local.
  const prefix = randomUUID().slice(0, 8);
  let sequence = 0;
  const newId = () => `${prefix}-${String(++sequence).padStart(6, '0')}`;
  const context: UseCaseContext = { store, now: () => clock.now(), newId };
  const spares: DynamoDBClient[] = [];
  return {
    tableName,
    dynamo,
    documents,
    faults,
    store,
    clock,
    context,
    freshContext: () => {
      // New SDK clients too: nothing of the crashed process survives but the table.
      const client = createDynamoClient({ dynamoDbEndpoint: endpoint, region: 'us-east-1' });
      spares.push(client);
      return {
        store: new DynamoMatchmakingStore({ tableName, client: createDocumentClient(client) }),
        now: () => clock.now(),
        newId,
      };
    },
    destroy: () => {
      for (const client of [dynamo, ...spares]) client.destroy();
    },
  };
}

/** Creates a rule set and a configuration using it; returns the configuration's name. */
export async function setUpConfiguration(
  context: UseCaseContext,
  ruleSetBody: object,
  requestTimeoutSeconds = 600,
): Promise<string> {
  const suffix = randomUUID().slice(0, 8);
  const ruleSetName = `rules-${suffix}`;
  const name = `config-${suffix}`;
  await createRuleSet(context, { name: ruleSetName, ruleSetBody: JSON.stringify(ruleSetBody) });
  await createConfiguration(context, {
    name,
    ruleSetName,
    requestTimeoutSeconds,
    acceptanceRequired: false,
  });
  return name;
}

/** The matchmaker tests' 2v2: any four players match (team averages within 1000). */
export const twoVersusTwo = twoVersusTwoRuleSet(1000);

export function player(playerId: string, skill = 10, team?: string): Player {
  return {
    playerId,
    attributes: { skill: { kind: 'number', value: skill } },
    latencyInMs: { 'us-east-1': 30 },
    ...(team ? { team } : {}),
  };
}

export async function scanTable(documents: DynamoDBDocumentClient, tableName: string): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey, ConsistentRead: true }),
    );
    items.push(...((page.Items as Item[] | undefined) ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** A sink that delivers everything and remembers it, in order, duplicates included. */
export class RecordingSink implements EventSink {
  readonly delivered: MatchmakingEvent[] = [];

  async publish(events: MatchmakingEvent[]): Promise<{ failed: MatchmakingEvent[] }> {
    this.delivered.push(...events.map((event) => JSON.parse(JSON.stringify(event)) as MatchmakingEvent));
    return { failed: [] };
  }
}

/** A seeded PRNG (mulberry32), so every run makes the same choices. */
export function seededRandom(seed: number): {
  next(): number;
  int(below: number): number;
  pick<T>(values: readonly T[]): T;
} {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (below) => Math.floor(next() * below),
    pick: (values) => values[Math.floor(next() * values.length)] as (typeof values)[number],
  };
}
