/**
 * Cold start and size of the bundles `cdk deploy` uploads: for each function of a fresh
 * `cdk synth`, the size of index.js (the map is not loaded) and the time Node takes to load
 * it in a new process, against a baseline bundle built with the same esbuild settings that
 * holds only the DynamoDB document client, loaded the same number of times in the same run.
 * Targets (issue 8): each bundle ≤ 1 MB, init ≤ 1.5× the baseline.
 * Run: npx tsx test/bench/bundles.bench.ts
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { LambdaProcess } from '../../lambdas/local/lambda-process';
import { esbuildSettings } from '../../lib/bundling';
import { lambdaAssets, synthesizeCloudAssembly } from '../../lib/cloud-assembly';
import { projectRoot } from '../../lib/project-root';

const ROUNDS = Number(process.env.BENCH_BUNDLE_ROUNDS ?? 15);
const BASELINE = 'baseline (DynamoDB client only)';

const baselineSource = `
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export const handler = async () => client.config.region;
`;

interface Candidate {
  name: string;
  directory: string;
  file: string;
  exportName: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function main(): Promise<void> {
  const workDir = mkdtempSync(join(tmpdir(), 'slotfill-bench-bundles-'));
  try {
    const assemblyDir = join(workDir, 'cdk.out');
    const synth = await synthesizeCloudAssembly(assemblyDir);
    if (synth.status !== 0) throw new Error(`cdk synth failed:\n${synth.stderr}`);
    const baselineDir = join(workDir, 'baseline');
    mkdirSync(baselineDir);
    await build({
      ...esbuildSettings,
      stdin: { contents: baselineSource, resolveDir: projectRoot, loader: 'ts' },
      outfile: join(baselineDir, 'index.js'),
      logLevel: 'warning',
    });
    const candidates: Candidate[] = [
      { name: BASELINE, directory: baselineDir, file: 'index.js', exportName: 'handler' },
      ...lambdaAssets(assemblyDir),
    ];

    const wallMs = new Map<string, number[]>(candidates.map((candidate) => [candidate.name, []]));
    const cpuMs = new Map<string, number[]>(candidates.map((candidate) => [candidate.name, []]));
    // Rounds interleave the functions so that a slow moment of the machine hits all of them.
    for (let round = 0; round < ROUNDS; round++) {
      for (const candidate of candidates) {
        const lambda = await LambdaProcess.start({
          modulePath: join(candidate.directory, candidate.file),
          exportName: candidate.exportName,
          functionName: candidate.name,
          cwd: candidate.directory,
          env: {
            PATH: process.env.PATH ?? '',
            TABLE_NAME: 'bench',
            AWS_REGION: 'us-east-1',
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          },
          output: 'capture',
        });
        wallMs.get(candidate.name)!.push(lambda.init.wallMs);
        cpuMs.get(candidate.name)!.push(lambda.init.cpuMs);
        await lambda.stop();
      }
    }

    const baselineCpuMs = median(cpuMs.get(BASELINE)!);
    const rows = candidates.map((candidate) => {
      const bytes = statSync(join(candidate.directory, candidate.file)).size;
      const initCpuMs = median(cpuMs.get(candidate.name)!);
      const initWallMs = median(wallMs.get(candidate.name)!);
      return `| ${candidate.name} | ${(bytes / 1024).toFixed(0)} | ${initCpuMs.toFixed(0)} | ${initWallMs.toFixed(0)} | ${(initCpuMs / baselineCpuMs).toFixed(2)} |`;
    });
    process.stdout.write(
      [
        `Median of ${ROUNDS} fresh processes each; init = loading index.js (require), before any invocation.`,
        'The ratio is on CPU time, which a busy machine distorts less than wall-clock time.',
        '',
        '| function | bundle (KiB, without map) | init CPU (ms) | init wall (ms) | init CPU / baseline |',
        '| --- | ---: | ---: | ---: | ---: |',
        ...rows,
        '',
      ].join('\n'),
    );
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
  process.exit(1);
});
