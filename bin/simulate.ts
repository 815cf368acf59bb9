/**
 * `npm run simulate`: try a FlexMatch rule set or PlayFab queue (or two, side by side) against
 * simulated or recorded arrivals, with the real matching pass on a virtual clock, and write a
 * self-contained HTML report. No AWS, no DynamoDB, no network.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  parseSimulationModel,
  parseTicketLog,
  programFromText,
  SimulationInputError,
  type SimulationModelInput,
  simulateQueue,
  summarize,
} from '../lambdas/engine/simulation';
import { renderReport } from '../lib/simulator/report';

const USAGE = `Usage: npm run simulate -- --rules <file> [--rules <file>] [options]

  --rules <file>    FlexMatch rule set (.json/.jsonc) or PlayFab queue (MatchmakingQueueConfig or a
                    SetMatchmakingQueue body). Give it twice to compare two side by side.
  --model <file>    Arrival model (JSON): seconds, rate, parties, attributes, latency, timeoutSeconds,
                    gameSeconds, leaveChancePerMinute, backfill, seed. See README "Simulating a rule set".
  --log <file>      Recorded tickets (JSONL, one {"at", "players"} per line) instead of generated arrivals.
  --seconds <n>     Virtual seconds to simulate (overrides the model).
  --rate <n>        Tickets per second (overrides the model).
  --seed <n>        Random seed (overrides the model).
  --out <file>      Report file (default simulation-report.html).
  --json <file>     Also write the summaries as JSON.
`;

function main(argv: readonly string[]): number {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      rules: { type: 'string', multiple: true },
      model: { type: 'string' },
      log: { type: 'string' },
      seconds: { type: 'string' },
      rate: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string', default: 'simulation-report.html' },
      json: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || values.rules === undefined || values.rules.length === 0) {
    process.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  if (values.rules.length > 2) throw new SimulationInputError('at most two --rules files can be compared');

  const modelInput = (
    values.model === undefined ? {} : JSON.parse(readFileSync(values.model, 'utf8'))
  ) as SimulationModelInput;
  const recorded = values.log === undefined ? undefined : parseTicketLog(readFileSync(values.log, 'utf8'));
  const overrides: Record<string, number> = {};
  for (const key of ['seconds', 'rate', 'seed'] as const) {
    const raw = values[key];
    if (raw !== undefined) overrides[key] = Number(raw);
  }
  if (recorded !== undefined && overrides.seconds === undefined && modelInput.seconds === undefined) {
    // A log plays until its last arrival has had its full time to match.
    const last = recorded.at(-1)?.at ?? 0;
    overrides.seconds = Math.ceil(last) + (modelInput.timeoutSeconds ?? 120);
  }
  const model = parseSimulationModel({ ...modelInput, ...overrides });

  const started = performance.now();
  const names = values.rules.map((file) => basename(file));
  const summaries = values.rules.map((file, index) => {
    const program = programFromText(readFileSync(file, 'utf8'), names[index] as string);
    const run = simulateQueue(program, model, recorded);
    // Two files of the same name (before/after folders) still need two labels.
    const label = names[0] === names[1] ? `${names[index]} (${index + 1})` : names[index];
    return summarize(run, label);
  });
  const elapsed = performance.now() - started;

  const source =
    recorded === undefined
      ? `${model.seconds} virtual seconds, arrivals ${JSON.stringify(model.rate)} tickets/s, seed ${model.seed}`
      : `${model.seconds} virtual seconds, ${recorded.length} recorded tickets from ${basename(values.log ?? '')}`;
  const html = renderReport({
    title: `slotfill simulation: ${summaries.map((summary) => summary.name).join(' vs ')}`,
    description: [
      source,
      `Tickets time out after ${model.timeoutSeconds} s; games last ${model.gameSeconds} s; a player leaves a running game with chance ${model.leaveChancePerMinute} per minute; backfill ${model.backfill ? 'on' : 'off'}.`,
    ],
    summaries,
  });
  const out = resolve(values.out ?? 'simulation-report.html');
  writeFileSync(out, html);
  if (values.json !== undefined) writeFileSync(values.json, `${JSON.stringify(summaries, null, 2)}\n`);
  for (const summary of summaries) {
    process.stdout.write(
      `${summary.name}: ${summary.playersArrived} players, ${summary.matchedPlayers} matched, ${summary.timedOutPlayers} timed out, time to match p50 ${summary.timeToMatch.p50.toFixed(1)} s / p90 ${summary.timeToMatch.p90.toFixed(1)} s, ${summary.backfillMatches} backfills\n`,
    );
  }
  process.stdout.write(`Simulated in ${(elapsed / 1000).toFixed(1)} s. Report: ${out}\n`);
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  if (
    error instanceof SimulationInputError ||
    error instanceof SyntaxError ||
    (error as { code?: string }).code === 'ENOENT'
  ) {
    process.stderr.write(`simulate: ${(error as Error).message}\n`);
    process.exitCode = 2;
  } else {
    throw error;
  }
}
