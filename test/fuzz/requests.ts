import fc from 'fast-check';
import type { GameLiftOperation } from '../../lambdas/dialects/gamelift/schemas';
import type { PlayFabOperation } from '../../lambdas/dialects/playfab/schemas';
import { type Credential, skillDifferenceRule } from '../support/playfab-client';
import { twoVersusTwoSkill } from '../support/rule-sets';

/**
 * What the fuzz suite sends: one valid request per operation of each dialect (built against
 * the resources the suite seeds), and fast-check arbitraries that break such a request in one
 * place, the way a careless or hostile client would.
 */

/** Names of what the suite seeds before fuzzing; requests refer to them so they reach deep code. */
export interface Seeds {
  ruleSetName: string;
  configurationName: string;
  queueName: string;
  /** A GameLift ticket and a PlayFab ticket that exist (they may end while fuzzing). */
  gameLiftTicketId: string;
  playFabTicketId: string;
  playFabCreator: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface ValidRequest {
  dialect: 'gamelift' | 'playfab';
  operation: string;
  body: Json;
  /** PlayFab only: who calls. */
  credential?: Credential;
}

const player = (id: string, skill = 10) => ({
  PlayerId: id,
  PlayerAttributes: { skill: { N: skill } },
  LatencyInMs: { 'us-east-1': 50 },
});
const member = (id: string) => ({
  Entity: { Id: id, Type: 'title_player_account' },
  Attributes: { DataObject: { skill: 10, latencies: [{ region: 'eastus', latency: 40 }] } },
});

/** Every one of the 13 FlexMatch operations, valid as written. */
export function gameLiftRequests(seeds: Seeds, unique: string): Record<GameLiftOperation, Json> {
  return {
    StartMatchmaking: { ConfigurationName: seeds.configurationName, Players: [player(`gl-${unique}`)] },
    StartMatchBackfill: {
      ConfigurationName: seeds.configurationName,
      GameSessionArn: `arn:aws:gamelift:us-east-1::gamesession/fleet-1/${unique}`,
      Players: [{ ...player(`host-${unique}`), Team: 'red' }],
    },
    DescribeMatchmaking: { TicketIds: [seeds.gameLiftTicketId] },
    StopMatchmaking: { TicketId: seeds.gameLiftTicketId },
    AcceptMatch: { TicketId: seeds.gameLiftTicketId, PlayerIds: ['gl-seed'], AcceptanceType: 'ACCEPT' },
    ValidateMatchmakingRuleSet: { RuleSetBody: twoVersusTwoSkill },
    CreateMatchmakingRuleSet: { Name: `rules-${unique}`, RuleSetBody: twoVersusTwoSkill },
    DescribeMatchmakingRuleSets: { Names: [seeds.ruleSetName], Limit: 5 },
    DeleteMatchmakingRuleSet: { Name: `unused-${unique}` },
    CreateMatchmakingConfiguration: {
      Name: `config-${unique}`,
      RuleSetName: seeds.ruleSetName,
      RequestTimeoutSeconds: 60,
      AcceptanceRequired: false,
    },
    DescribeMatchmakingConfigurations: { Names: [seeds.configurationName], Limit: 5 },
    UpdateMatchmakingConfiguration: { Name: seeds.configurationName, Description: `updated ${unique}` },
    DeleteMatchmakingConfiguration: { Name: `unused-${unique}` },
  };
}

/** Every one of the 20 `/Match/*` calls, valid as written, with the credential each expects. */
export function playFabRequests(
  seeds: Seeds,
  unique: string,
): Record<PlayFabOperation, { body: Json; credential: Credential }> {
  const server: Credential = { server: true };
  const me = `pf-${unique}`;
  const queue = { QueueName: seeds.queueName };
  const ticket = { ...queue, TicketId: seeds.playFabTicketId };
  const subscription = {
    EntityKey: { Id: me, Type: 'title_player_account' },
    PubSubConnectionHandle: 'handle',
    ResourceId: seeds.playFabTicketId,
    SubscriptionVersion: 1,
    Type: 'MatchTicketStatusChange',
  };
  return {
    SetMatchmakingQueue: {
      body: {
        MatchmakingQueue: {
          Name: `q-${unique}`.slice(0, 64),
          MinMatchSize: 2,
          MaxMatchSize: 2,
          ServerAllocationEnabled: false,
          DifferenceRules: [skillDifferenceRule(10)],
        },
      },
      credential: server,
    },
    GetMatchmakingQueue: { body: queue, credential: server },
    ListMatchmakingQueues: { body: {}, credential: server },
    RemoveMatchmakingQueue: { body: { QueueName: `gone-${unique}`.slice(0, 64) }, credential: server },
    CreateMatchmakingTicket: {
      body: {
        ...queue,
        GiveUpAfterSeconds: 60,
        Creator: member(me),
        MembersToMatchWith: [{ Id: `friend-${unique}`, Type: 'title_player_account' }],
      },
      credential: { player: me },
    },
    CreateServerMatchmakingTicket: {
      body: { ...queue, GiveUpAfterSeconds: 60, Members: [member(me)] },
      credential: server,
    },
    CreateServerBackfillTicket: {
      body: {
        ...queue,
        GiveUpAfterSeconds: 60,
        Members: [member(me)],
        ServerDetails: {
          Region: 'eastus',
          Fqdn: 'game.example.com',
          Ports: [{ Name: 'game', Num: 7777, Protocol: 'UDP' }],
        },
      },
      credential: server,
    },
    GetMatchmakingTicket: { body: { ...ticket, EscapeObject: false }, credential: server },
    GetServerBackfillTicket: { body: { ...ticket, EscapeObject: true }, credential: server },
    GetMatch: {
      body: { ...queue, MatchId: seeds.playFabTicketId, EscapeObject: false, ReturnMemberAttributes: true },
      credential: server,
    },
    GetQueueStatistics: { body: queue, credential: server },
    JoinMatchmakingTicket: { body: { ...ticket, Member: member(me) }, credential: { player: me } },
    CancelMatchmakingTicket: { body: ticket, credential: { player: seeds.playFabCreator } },
    CancelServerBackfillTicket: { body: ticket, credential: server },
    CancelAllMatchmakingTicketsForPlayer: {
      body: { ...queue, Entity: { Id: me, Type: 'title_player_account' } },
      credential: server,
    },
    CancelAllServerBackfillTicketsForPlayer: {
      body: { ...queue, Entity: { Id: me, Type: 'title_player_account' } },
      credential: server,
    },
    ListMatchmakingTicketsForPlayer: { body: queue, credential: { player: me } },
    ListServerBackfillTicketsForPlayer: {
      body: { ...queue, Entity: { Id: me, Type: 'title_player_account' } },
      credential: server,
    },
    SubscribeToMatchmakingResource: { body: subscription, credential: server },
    UnsubscribeFromMatchmakingResource: { body: subscription, credential: server },
  };
}

// ---------------------------------------------------------------------------------------------
// Mutations

/** Marks where raw JSON text replaces a value once the body is serialised. */
const RAW = '\u0000raw\u0000';

/**
 * JSON no serialiser would write: literals past a double's range or precision, negative zero,
 * nesting past any sane depth (text, so the suite itself can hold it).
 */
const rawLiterals = fc.oneof(
  fc.constantFrom('1e400', '-1e400', '1e-400', '-0', '123456789012345678901234567890', '9007199254740993'),
  fc.integer({ min: 100, max: 20_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
  fc.integer({ min: 100, max: 20_000 }).map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
);

/** Values a careless or hostile client puts where a valid one was. */
const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(
    null,
    '',
    ' ',
    0,
    -1,
    1e300,
    -1e300,
    1e-200,
    2 ** 53,
    2 ** 31,
    0.5,
    true,
    [],
    {},
    [null],
    'arn:aws:gamelift:us-east-1::matchmakingconfiguration/',
    '../../etc/passwd',
    '\u0000',
    '%E0%A4%A',
  ),
  fc.integer({ min: 129, max: 5000 }).map((length) => 'x'.repeat(length)),
  fc.integer({ min: 100, max: 2000 }).map((count) => '\u{1F600}'.repeat(count)),
  fc.integer({ min: 11, max: 3000 }).map((count) => Array.from({ length: count }, (_, i) => `v${i}`)),
  fc
    .integer({ min: 11, max: 3000 })
    .map((count) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, i]))),
  fc.string(),
  fc.double(),
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
  fc.constant(RAW),
);

type Mutation =
  | { kind: 'replace'; choice: number; value: Json; raw: string }
  | { kind: 'delete'; choice: number }
  | { kind: 'add'; choice: number; key: string; value: Json }
  | { kind: 'repeat'; choice: number; times: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('replace' as const),
      choice: fc.nat(),
      value: hostileValue,
      raw: rawLiterals,
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), choice: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('add' as const),
      choice: fc.nat(),
      key: fc.constantFrom('__proto__', 'constructor', 'Unknown', 'toString', ''),
      value: hostileValue,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('repeat' as const),
      choice: fc.nat(),
      times: fc.integer({ min: 2, max: 300 }),
    }),
  },
);

/** Every place in a JSON value: the path to it from the root. */
function places(value: Json, path: Array<string | number> = []): Array<Array<string | number>> {
  const found = [path];
  if (Array.isArray(value)) {
    for (const [index, entry] of value.entries()) found.push(...places(entry, [...path, index]));
  } else if (typeof value === 'object' && value !== null)
    for (const [key, entry] of Object.entries(value)) found.push(...places(entry, [...path, key]));
  return found;
}

function containerAt(root: Json, path: Array<string | number>): Json {
  let current = root;
  for (const segment of path) current = (current as Record<string | number, Json>)[segment] as Json;
  return current;
}

/** Applies one mutation to a copy of the body and serialises it (raw literals inlined). */
export function mutate(body: Json, change: Mutation): string {
  const copy = JSON.parse(JSON.stringify(body)) as Json;
  const all = places(copy);
  const path = all[change.choice % all.length]!;
  let raw = '';
  if (path.length === 0) {
    // The body itself: replaced whole, or left as it is for the other kinds.
    if (change.kind === 'replace') {
      raw = change.raw;
      return JSON.stringify(change.value).replace(JSON.stringify(RAW), raw);
    }
    return JSON.stringify(copy);
  }
  const container = containerAt(copy, path.slice(0, -1));
  const list = Array.isArray(container) ? container : undefined;
  const parent = container as Record<string | number, Json>;
  const key = path[path.length - 1]!;
  switch (change.kind) {
    case 'replace':
      parent[key] = change.value;
      raw = change.raw;
      break;
    case 'delete':
      if (list) list.splice(Number(key), 1);
      else delete parent[key];
      break;
    case 'add': {
      const target = parent[key];
      if (typeof target === 'object' && target !== null && !Array.isArray(target)) {
        Object.defineProperty(target, change.key, { value: change.value, enumerable: true });
      } else parent[key] = change.value;
      break;
    }
    case 'repeat':
      if (list) list.push(...Array.from({ length: change.times }, () => list[Number(key)]!));
      else {
        const repeated: Json[] = Array.from({ length: change.times }, () => parent[key]!);
        parent[key] = repeated;
      }
      break;
  }
  return JSON.stringify(copy)
    .split(JSON.stringify(RAW))
    .join(raw || '0');
}

/** Whole bodies that are not what the protocol says at all. */
export const brokenBodies = fc.constantFrom(
  '',
  '{',
  '[]',
  'null',
  '"text"',
  '{"a":1,}',
  '\u0000',
  '{"__proto__":{"x":1}}',
);

export const mutations = mutation;
