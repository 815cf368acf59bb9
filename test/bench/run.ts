/**
 * `npm run bench`: every benchmark, one after another, each in a fresh process so one's JIT
 * state and garbage cannot colour another's figures. Each prints its own markdown table with
 * a baseline measured in the same run.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const benches: Array<{ title: string; file: string }> = [
  { title: 'Rule evaluation (candidates per second)', file: 'rules.bench.ts' },
  { title: 'Matching pass (pure engine) against sorting the same pool', file: 'matching.bench.ts' },
  {
    title: 'Match quality: small pools against the exhaustive optimum, large pools against sort-and-chunk',
    file: 'quality.bench.ts',
  },
  {
    title:
      'Virtual-clock simulation: backfillPriority high vs normal; starvation against oldest-first anchors',
    file: 'simulation.bench.ts',
  },
  {
    title: 'A full pass on DynamoDB Local: wall time and capacity per matched player',
    file: 'pass-on-dynamodb.bench.ts',
  },
  {
    title: 'StartMatchmaking through the whole handler path on DynamoDB Local',
    file: 'start-matchmaking.bench.ts',
  },
  {
    title: 'Time to match through the official SDK on the local service: wake on arrival vs the timer alone',
    file: 'time-to-match.bench.ts',
  },
  {
    title: 'Capacity model: the matchmaker on a simulated DynamoDB with per-partition limits',
    file: 'capacity-model.bench.ts',
  },
  {
    title: 'Lambda bundles: size and cold-start init against a DynamoDB-client-only bundle',
    file: 'bundles.bench.ts',
  },
];

const only = process.argv.slice(2);
const tsx = join(__dirname, '..', '..', 'node_modules', 'tsx', 'dist', 'cli.mjs');
let failed = false;
for (const bench of benches) {
  if (only.length > 0 && !only.some((name) => bench.file.includes(name))) continue;
  process.stdout.write(`\n### ${bench.title}\n\n`);
  const result = spawnSync(process.execPath, [tsx, join(__dirname, bench.file)], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  if (result.status !== 0) {
    failed = true;
    process.stderr.write(`${bench.file} failed with exit code ${result.status}\n`);
  }
}
process.exit(failed ? 1 : 0);
