/**
 * The virtual-clock simulation (lambdas/engine/simulation, the same core `npm run simulate`
 * uses) as a benchmark: 30 virtual minutes of one 5v5 queue with 4 arrivals/s, players leaving
 * running games, and backfill requests. It runs the same arrivals twice, with backfillPriority
 * high and normal, so each row is the other's baseline; and over four seeds with the pass's anchor
 * order against oldest-first anchoring, for starvation (starvationTable).
 * Run: npx tsx test/bench/simulation.bench.ts
 */

import type { PassOptions } from '../../lambdas/engine/matching';
import { type BackfillPriority, compileRuleSetBody } from '../../lambdas/engine/rules';
import {
  parseSimulationModel,
  type SimulationModelInput,
  type SimulationSummary,
  simulateQueue,
  summarize,
} from '../../lambdas/engine/simulation';

export const DEFAULT_SIMULATION: SimulationModelInput = {
  seconds: 1_800,
  rate: 4,
  parties: [
    { size: 1, weight: 9 },
    { size: 2, weight: 1 },
  ],
  attributes: { skill: { normal: { mean: 1500, deviation: 600 } } },
  leaveChancePerMinute: 0.064,
  gameSeconds: 600,
  timeoutSeconds: 120,
  seed: 2024,
};

export function simulationRuleSet(priority: BackfillPriority): string {
  return JSON.stringify({
    name: `sim-5v5-${priority}`,
    ruleLanguageVersion: '1.0',
    playerAttributes: [{ name: 'skill', type: 'number', default: 1500 }],
    algorithm: { backfillPriority: priority },
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
        maxDistance: 40,
      },
      {
        name: 'CloseSkill',
        type: 'distance',
        measurements: ['max(flatten(teams[*].players.attributes[skill]))'],
        referenceValue: 'min(flatten(teams[*].players.attributes[skill]))',
        maxDistance: 300,
      },
    ],
    expansions: [
      { target: 'rules[FairTeams].maxDistance', steps: [{ waitTimeSeconds: 15, value: 120 }] },
      {
        target: 'rules[CloseSkill].maxDistance',
        steps: [
          { waitTimeSeconds: 10, value: 600 },
          { waitTimeSeconds: 30, value: 1500 },
        ],
      },
      { target: 'teams[red].minPlayers', steps: [{ waitTimeSeconds: 20, value: 4 }] },
      { target: 'teams[blue].minPlayers', steps: [{ waitTimeSeconds: 20, value: 4 }] },
    ],
  });
}

export interface PrioritySummary {
  priority: BackfillPriority;
  summary: SimulationSummary;
}

export function simulate(
  priority: BackfillPriority,
  model: SimulationModelInput = DEFAULT_SIMULATION,
  passOptions?: PassOptions,
): PrioritySummary {
  const run = simulateQueue(
    compileRuleSetBody(simulationRuleSet(priority)),
    parseSimulationModel(model),
    undefined,
    passOptions,
  );
  return { priority, summary: summarize(run) };
}

/**
 * Four seeds by default; `STARVATION_SEEDS=2024,7,99,1234,1,2,...` runs more: the gap between
 * two rows differs from one set of seeds to another (with `high`, 12 players on these four, 47
 * on eight others), so a close call needs more of them.
 */
const STARVATION_SEEDS = (process.env.STARVATION_SEEDS ?? '2024,7,99,1234').split(',').map(Number);

/** The 95th percentile wait, a timed-out player counting as waiting the whole time-out. */
function waitP95(summaries: readonly SimulationSummary[], timeoutSeconds: number): number {
  const waits: number[] = [];
  for (const summary of summaries) {
    waits.push(...summary.timeToMatchSamples);
    for (let player = 0; player < summary.timedOutPlayers; player++) waits.push(timeoutSeconds);
  }
  waits.sort((left, right) => left - right);
  return waits[Math.min(waits.length - 1, Math.floor(0.95 * waits.length))] ?? Number.NaN;
}

/**
 * Starvation check: the same arrivals (four seeds, or STARVATION_SEEDS) with the pass's anchor
 * order against the order before it, every ticket anchored oldest first with the oldest partners first
 * (`seasonedAgeMs: 0` makes every ticket seasoned). Time-outs and the p95 wait must not grow.
 */
export function starvationTable(model: SimulationModelInput = DEFAULT_SIMULATION): string {
  const lines = [
    '| backfillPriority | anchors | players | timed out | wait p95 (time-outs count 120 s) | time to match p90 |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
  ];
  for (const priority of ['high', 'normal'] as const) {
    for (const [name, options] of [
      ['oldest first (baseline)', { seasonedAgeMs: 0 }],
      ['seasoned, then key order from both ends', undefined],
    ] as const) {
      const summaries = STARVATION_SEEDS.map(
        (seed) => simulate(priority, { ...model, seed }, options).summary,
      );
      const samples = summaries.flatMap((summary) => summary.timeToMatchSamples).sort((a, b) => a - b);
      const p90 = samples[Math.floor(0.9 * samples.length)] ?? Number.NaN;
      lines.push(
        `| ${priority} | ${name} | ${summaries.reduce((total, summary) => total + summary.playersArrived, 0)} | ${summaries.reduce((total, summary) => total + summary.timedOutPlayers, 0)} | ${waitP95(summaries, model.timeoutSeconds ?? 120).toFixed(1)} s | ${p90.toFixed(1)} s |`,
      );
    }
  }
  return lines.join('\n');
}

// Async so a bench runner can await it alongside other, truly asynchronous benchmarks.
export async function runSimulation(
  model: SimulationModelInput = DEFAULT_SIMULATION,
): Promise<PrioritySummary[]> {
  return [simulate('high', model), simulate('normal', model)];
}

export function simulationTable(reports: readonly PrioritySummary[]): string {
  const seconds = (value: number) => (Number.isNaN(value) ? '-' : `${value.toFixed(0)} s`);
  const lines = [
    '| backfillPriority | players | matches | backfills filled | timed out | time to match p50 / p90 | time to fill p50 / p90 | games full | skill range p50 | team gap p50 | pass ms total |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...reports.map(
      ({ priority, summary }) =>
        `| ${priority} | ${summary.playersArrived} | ${summary.newMatches} | ${summary.backfillMatches} | ${summary.timedOutPlayers} | ${seconds(summary.timeToMatch.p50)} / ${seconds(summary.timeToMatch.p90)} | ${seconds(summary.fillTime.p50)} / ${seconds(summary.fillTime.p90)} | ${(summary.shareFull * 100).toFixed(1)} % | ${summary.skillSpread.p50.toFixed(0)} | ${summary.teamGap.p50.toFixed(1)} | ${summary.passMs.toFixed(0)} |`,
    ),
  ];
  return lines.join('\n');
}

/**
 * The designer's case: one simulated minute at 100 tickets/s on the same 5v5 rule set. The
 * baseline is the matching pass alone inside that run, so the ratio is what the simulation
 * (arrivals, games, backfill requests, rule diagnosis) costs on top of the engine.
 */
export function minuteAtHundredPerSecond(): string {
  const program = compileRuleSetBody(simulationRuleSet('high'));
  const started = performance.now();
  const run = simulateQueue(program, parseSimulationModel({ ...DEFAULT_SIMULATION, seconds: 60, rate: 100 }));
  const summary = summarize(run);
  const totalMs = performance.now() - started;
  return [
    '| simulated | tickets | players matched | whole simulation + summary (ms) | matching pass alone (ms, baseline) | ratio |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    `| 60 s at 100 tickets/s | ${summary.ticketsArrived} | ${summary.matchedPlayers} | ${totalMs.toFixed(0)} | ${run.passMs.toFixed(0)} | ${(totalMs / run.passMs).toFixed(2)} |`,
  ].join('\n');
}

if (require.main === module) {
  runSimulation().then((reports) =>
    process.stdout.write(
      `${simulationTable(reports)}\n\n${minuteAtHundredPerSecond()}\n\n${starvationTable()}\n`,
    ),
  );
}
