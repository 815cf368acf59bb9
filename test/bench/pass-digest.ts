/**
 * Fingerprints of what the matching pass proposes on the benchmarks' seeded pools: the speed
 * bench's pools (2k warm-up, 1k, 10k, 100k), the quality bench's small and large pools, and a
 * few virtual-clock simulations (backfill tickets, expansions, both backfill priorities). A
 * change meant to make the pass faster, not different, must leave every line unchanged: run
 * this before and after and compare. Matches and pass statistics are hashed apart, so a change
 * that only alters how much work the pass does shows up as such.
 * Run: npx tsx test/bench/pass-digest.ts
 */
import { createHash } from 'node:crypto';
import { type PassResult, runMatchmakingPass } from '../../lambdas/engine/matching';
import { compileRuleSetBody } from '../../lambdas/engine/rules';
import { parseSimulationModel, simulateQueue } from '../../lambdas/engine/simulation';
import { compileScenario, QUALITY_NOW, SCENARIOS } from '../support/quality';
import { benchPool, SKILL_5V5_BENCH } from './matching.bench';
import { DEFAULT_SIMULATION, simulationRuleSet } from './simulation.bench';

const BENCH_NOW = 1_700_000_000_000;

function hash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

function passLine(name: string, result: PassResult): string {
  const proposals = { matches: result.matches, invalidBackfills: result.invalidBackfills };
  return `${name}: ${result.matches.length} matches, matches ${hash(proposals)}, stats ${hash(result.stats)}`;
}

export function passDigests(): string[] {
  const lines: string[] = [];
  const benchProgram = compileRuleSetBody(SKILL_5V5_BENCH);
  for (const [tickets, seed] of [
    [2_000, 99],
    [1_000, 1_000],
    [10_000, 10_000],
    [100_000, 100_000],
  ] as const) {
    lines.push(
      passLine(
        `speed bench ${tickets} (seed ${seed})`,
        runMatchmakingPass(benchProgram, benchPool(tickets, seed), BENCH_NOW),
      ),
    );
  }
  for (const scenario of SCENARIOS) {
    const program = compileScenario(scenario);
    const small: PassResult[] = [];
    for (let seed = 1; seed <= 12; seed++)
      small.push(runMatchmakingPass(program, scenario.pool(scenario.smallPool, seed), QUALITY_NOW));
    lines.push(
      `quality small, ${scenario.name}: matches ${hash(small.map((result) => result.matches))}, stats ${hash(small.map((result) => result.stats))}`,
    );
    for (const tickets of [1_000, 10_000])
      lines.push(
        passLine(
          `quality ${tickets}, ${scenario.name}`,
          runMatchmakingPass(program, scenario.pool(tickets, tickets + 7), QUALITY_NOW),
        ),
      );
  }
  for (const priority of ['high', 'normal', 'low'] as const) {
    for (const [label, options] of [
      ['default anchors', undefined],
      ['oldest first', { seasonedAgeMs: 0 }],
    ] as const) {
      const run = simulateQueue(
        compileRuleSetBody(simulationRuleSet(priority)),
        parseSimulationModel({ ...DEFAULT_SIMULATION, seconds: 600 }),
        undefined,
        options,
      );
      lines.push(`simulation 600 s, ${priority}, ${label}: ${run.log.length} events, log ${hash(run.log)}`);
    }
  }
  return lines;
}

if (require.main === module) {
  process.stdout.write(`${passDigests().join('\n')}\n`);
}
