/**
 * Candidate evaluations per second for two compiled rule sets, each against a baseline
 * measured in the same run (a plain average over the same skill values per candidate), so the
 * ratio stays comparable across machines. Run: npx tsx test/bench/rules.bench.ts
 */

import type { Player } from '../../lambdas/engine/model';
import {
  candidatePasses,
  compileRuleSetBody,
  evaluateCandidate,
  orderingKeys,
} from '../../lambdas/engine/rules';
import type { CandidateTicket, RuleCandidate } from '../../lambdas/engine/rules/evaluate';

const NOW = 1_700_000_000_000;

const SKILL_5V5 = JSON.stringify({
  ruleLanguageVersion: '1.0',
  playerAttributes: [{ name: 'skill', type: 'number', default: 1000 }],
  teams: [
    { name: 'red', minPlayers: 5, maxPlayers: 5 },
    { name: 'blue', minPlayers: 5, maxPlayers: 5 },
  ],
  rules: [
    {
      name: 'FairTeams',
      type: 'distance',
      measurements: ['avg(teams[*].players.attributes[skill])'],
      referenceValue: 'avg(flatten(teams[*].players.attributes[skill]))',
      maxDistance: 100,
    },
    {
      name: 'EqualSizes',
      type: 'comparison',
      operation: '=',
      measurements: ['count(teams[red].players)'],
      referenceValue: 'count(teams[blue].players)',
    },
    { name: 'Ping', type: 'latency', maxLatency: 120 },
  ],
  expansions: [{ target: 'rules[FairTeams].maxDistance', steps: [{ waitTimeSeconds: 10, value: 200 }] }],
});

const SORT_HEAVY = JSON.stringify({
  ruleLanguageVersion: '1.0',
  playerAttributes: [
    { name: 'skill', type: 'number', default: 1000 },
    { name: 'rank', type: 'number', default: 3 },
    { name: 'votes', type: 'string_number_map', default: { harbor: 1 } },
  ],
  algorithm: { batchingPreference: 'sorted', sortByAttributes: ['rank', 'skill'] },
  teams: [
    { name: 'red', minPlayers: 5, maxPlayers: 5 },
    { name: 'blue', minPlayers: 5, maxPlayers: 5 },
  ],
  rules: [
    {
      name: 'MapVotes',
      type: 'absoluteSort',
      sortDirection: 'descending',
      sortAttribute: 'votes',
      mapKey: 'maxValue',
    },
    { name: 'CloseSkill', type: 'distanceSort', sortDirection: 'ascending', sortAttribute: 'skill' },
    { name: 'RankBand', type: 'batchDistance', batchAttribute: 'rank', maxDistance: 2 },
    {
      name: 'SkillSpread',
      type: 'distance',
      measurements: ['max(flatten(teams[*].players.attributes[skill]))'],
      referenceValue: 'min(flatten(teams[*].players.attributes[skill]))',
      maxDistance: 400,
    },
  ],
});

function makePlayer(index: number, random: () => number): Player {
  return {
    playerId: `p${index}`,
    attributes: {
      skill: { kind: 'number', value: 900 + Math.floor(random() * 200) },
      rank: { kind: 'number', value: 2 + Math.floor(random() * 3) },
      votes: { kind: 'string_number_map', value: { harbor: random() * 10, desert: random() * 10 } },
    },
    latencyInMs: { 'us-east-1': 20 + random() * 80, 'eu-west-1': 60 + random() * 120 },
  };
}

function makeCandidates(count: number): RuleCandidate[] {
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const candidates: RuleCandidate[] = [];
  for (let index = 0; index < count; index++) {
    const team = (offset: number): CandidateTicket[] =>
      Array.from({ length: 5 }, (_, slot) => ({
        ticketId: `t${index}-${offset + slot}`,
        startTime: NOW - Math.floor(random() * 20_000),
        players: [makePlayer(offset + slot, random)],
      }));
    candidates.push({ teams: { red: team(0), blue: team(5) } });
  }
  return candidates;
}

function measure(
  run: (candidate: RuleCandidate) => unknown,
  candidates: readonly RuleCandidate[],
  minimumMs = 400,
): number {
  let operations = 0;
  const start = performance.now();
  let elapsed = 0;
  let sink = 0;
  while (elapsed < minimumMs) {
    for (const candidate of candidates) {
      if (run(candidate)) sink++;
    }
    operations += candidates.length;
    elapsed = performance.now() - start;
  }
  if (sink < 0) throw new Error('unreachable: keeps the results alive');
  return (operations / elapsed) * 1000;
}

/** The trivially comparable work: average of the same ten skill values of one candidate. */
function plainAverage(candidate: RuleCandidate): boolean {
  let total = 0;
  let count = 0;
  for (const tickets of Object.values(candidate.teams)) {
    for (const ticket of tickets) {
      for (const player of ticket.players) {
        const skill = player.attributes.skill;
        if (skill?.kind === 'number') {
          total += skill.value;
          count++;
        }
      }
    }
  }
  return total / count > 0;
}

// Async so a caller (a bench runner) can await it alongside other, truly asynchronous benchmarks.
export async function runRulesBenchmark(): Promise<
  Array<{ name: string; opsPerSecond: number; ratioToBaseline: number }>
> {
  const candidates = makeCandidates(1_000);
  const skillProgram = compileRuleSetBody(SKILL_5V5);
  const sortProgram = compileRuleSetBody(SORT_HEAVY);
  const anchor = candidates[0]?.teams.red?.[0]?.players ?? [];
  const keys: number[] = [];
  const cases: Array<[string, (candidate: RuleCandidate) => unknown]> = [
    ['baseline: plain average of 10 skills', plainAverage],
    [
      '5v5 skill: evaluateCandidate (full report)',
      (candidate) => evaluateCandidate(skillProgram, candidate, NOW).passed,
    ],
    ['5v5 skill: candidatePasses (fast path)', (candidate) => candidatePasses(skillProgram, candidate, NOW)],
    [
      'sort-heavy: evaluateCandidate (full report)',
      (candidate) => evaluateCandidate(sortProgram, candidate, NOW).passed,
    ],
    [
      'sort-heavy: ordering keys of 10 tickets',
      (candidate) => {
        for (const tickets of Object.values(candidate.teams)) {
          for (const ticket of tickets) orderingKeys(sortProgram, anchor, ticket.players, keys);
        }
        return keys[0];
      },
    ],
  ];
  // Warm up every path first so the JIT treats them alike.
  for (const [, run] of cases) measure(run, candidates, 100);
  const results = cases.map(([name, run]) => ({ name, opsPerSecond: measure(run, candidates) }));
  const baseline = results[0]?.opsPerSecond ?? 1;
  return results.map((result) => ({ ...result, ratioToBaseline: result.opsPerSecond / baseline }));
}

if (require.main === module) {
  runRulesBenchmark().then((results) => {
    const lines = [
      '| case | candidates/s | ratio to baseline |',
      '| --- | ---: | ---: |',
      ...results.map(
        (result) =>
          `| ${result.name} | ${Math.round(result.opsPerSecond).toLocaleString('en-US')} | ${result.ratioToBaseline.toFixed(3)} |`,
      ),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  });
}
