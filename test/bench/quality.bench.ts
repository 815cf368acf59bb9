/**
 * Match quality of one matching pass, seeded, every baseline computed in the same run:
 * (a) small pools (at most 30 tickets) against the exhaustive optimum of matched players;
 * (b) 1k and 10k pools against sorting the pool by skill and cutting it into consecutive matches.
 * Run: npx tsx test/bench/quality.bench.ts
 */
import { runMatchmakingPass } from '../../lambdas/engine/matching';
import { exhaustiveOptimum } from '../support/optimum';
import {
  compileScenario,
  engineTeamSkills,
  measure,
  QUALITY_NOW,
  SCENARIOS,
  sortAndChunk,
} from '../support/quality';

const SMALL_POOL_SEEDS = 12;

function percent(value: number): string {
  return `${(100 * value).toFixed(1)} %`;
}

function smallPools(): string[] {
  const lines = [
    '| scenario (small pools) | pools | engine players | optimum players | engine / optimum | worst pool |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  let engineTotal = 0;
  let optimumTotal = 0;
  for (const scenario of SCENARIOS) {
    const program = compileScenario(scenario);
    let engine = 0;
    let optimum = 0;
    let worst = 1;
    for (let seed = 1; seed <= SMALL_POOL_SEEDS; seed++) {
      const pool = scenario.pool(scenario.smallPool, seed);
      const best = exhaustiveOptimum(program, pool, QUALITY_NOW).players;
      const matched = measure(
        pool,
        engineTeamSkills(pool, runMatchmakingPass(program, pool, QUALITY_NOW).matches),
      ).matchedPlayers;
      engine += matched;
      optimum += best;
      if (best > 0) worst = Math.min(worst, matched / best);
    }
    engineTotal += engine;
    optimumTotal += optimum;
    lines.push(
      `| ${scenario.name}, ${scenario.smallPool} tickets | ${SMALL_POOL_SEEDS} | ${engine} | ${optimum} | ${percent(engine / Math.max(1, optimum))} | ${percent(worst)} |`,
    );
  }
  lines.push(
    `| all | ${SMALL_POOL_SEEDS * SCENARIOS.length} | ${engineTotal} | ${optimumTotal} | ${percent(engineTotal / Math.max(1, optimumTotal))} | |`,
  );
  return lines;
}

function largePools(): string[] {
  const lines = [
    '| scenario | tickets | matched: engine / baseline | skill spread: engine / baseline | team-average gap: engine / baseline |',
    '| --- | ---: | ---: | ---: | ---: |',
  ];
  for (const scenario of SCENARIOS) {
    const program = compileScenario(scenario);
    for (const tickets of [1_000, 10_000]) {
      const pool = scenario.pool(tickets, tickets + 7);
      const engine = measure(
        pool,
        engineTeamSkills(pool, runMatchmakingPass(program, pool, QUALITY_NOW).matches),
      );
      const baseline = measure(pool, sortAndChunk(program, pool, QUALITY_NOW));
      lines.push(
        `| ${scenario.name} | ${tickets.toLocaleString('en-US')} | ${percent(engine.matchedShare)} / ${percent(baseline.matchedShare)} | ${engine.meanSpread.toFixed(1)} / ${baseline.meanSpread.toFixed(1)} | ${engine.meanTeamGap.toFixed(1)} / ${baseline.meanTeamGap.toFixed(1)} |`,
      );
    }
  }
  return lines;
}

if (require.main === module) {
  process.stdout.write(`${smallPools().join('\n')}\n\n${largePools().join('\n')}\n`);
}
