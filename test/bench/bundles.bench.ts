/**
 * Cold start and size of the bundles `cdk deploy` uploads: for each function of a fresh
 * `cdk synth`, the size of index.js (the map is not loaded) and the time Node takes to load
 * it in a new process, against a baseline bundle built with the same esbuild settings that
 * holds only the DynamoDB document client, loaded the same number of times in the same run.
 * Targets (issue 8): each bundle ≤ 1 MB, init ≤ 1.5× the baseline. Processes get the variables
 * Lambda sets (tracing active) and each function's own from the template.
 *
 * What init no longer does is measured too: the functions load Powertools Tracer and the X-Ray
 * SDK at their first invocation (lambdas/shared/tracing.ts), so a probe bundle with the
 * DynamoDB client registered for tracing reports the CPU its first invocation spends loading
 * the Tracer and capturing the client, in the same run.
 * Run: npx tsx test/bench/bundles.bench.ts
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { LambdaProcess } from '../../lambdas/local/lambda-process';
import { esbuildSettings, FIRST_INVOCATION_PACKAGES, firstInvocationPackageFile } from '../../lib/bundling';
import { lambdaAssets, synthesizeCloudAssembly } from '../../lib/cloud-assembly';
import { projectRoot } from '../../lib/project-root';

const ROUNDS = Number(process.env.BENCH_BUNDLE_ROUNDS ?? 15);
const BASELINE = 'baseline (DynamoDB client only)';
const TRACER_PROBE = 'probe: DynamoDB client + tracing.ts';

/** What Lambda sets in a function's environment that the code under test reads (tracing is active). */
function lambdaEnvironment(functionName: string): Record<string, string> {
  return {
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
    AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
    _HANDLER: 'index.handler',
  };
}

const baselineSource = `
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export const handler = async () => client.config.region;
`;

/** The first invocation's extra work: loading the Tracer and capturing the registered client. */
const tracerProbeSource = `
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadTracer, traced } from './lambdas/shared/tracing';
const client = traced(new DynamoDBClient({}));
export const handler = async () => {
  const before = process.cpuUsage();
  await loadTracer();
  const used = process.cpuUsage(before);
  return { cpuMs: (used.user + used.system) / 1000, region: client.config.region };
};
`;

interface Candidate {
  name: string;
  directory: string;
  file: string;
  exportName: string;
  environment: Record<string, string>;
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
    const probeDir = join(workDir, 'tracer-probe');
    mkdirSync(probeDir);
    await build({
      ...esbuildSettings,
      stdin: { contents: tracerProbeSource, resolveDir: projectRoot, loader: 'ts' },
      outfile: join(probeDir, 'index.js'),
      logLevel: 'warning',
    });
    // Beside the probe as in a function's asset (lib/bundling.ts).
    for (const name of FIRST_INVOCATION_PACKAGES) {
      await build({
        ...esbuildSettings,
        external: [],
        entryPoints: [name],
        outfile: firstInvocationPackageFile(probeDir, name),
        logLevel: 'warning',
      });
    }
    const candidates: Candidate[] = [
      { name: BASELINE, directory: baselineDir, file: 'index.js', exportName: 'handler', environment: {} },
      ...lambdaAssets(assemblyDir).map((asset) => ({ ...asset, environment: asset.staticEnvironment })),
    ];
    const probe: Candidate = {
      name: TRACER_PROBE,
      directory: probeDir,
      file: 'index.js',
      exportName: 'handler',
      environment: {},
    };
    const firstInvocationCpuMs: number[] = [];

    const wallMs = new Map<string, number[]>(candidates.map((candidate) => [candidate.name, []]));
    const cpuMs = new Map<string, number[]>(candidates.map((candidate) => [candidate.name, []]));
    // Rounds interleave the functions so that a slow moment of the machine hits all of them.
    const start = (candidate: Candidate) =>
      LambdaProcess.start({
        modulePath: join(candidate.directory, candidate.file),
        exportName: candidate.exportName,
        functionName: candidate.name,
        cwd: candidate.directory,
        env: {
          PATH: process.env.PATH ?? '',
          TABLE_NAME: 'bench',
          AWS_REGION: 'us-east-1',
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          ...lambdaEnvironment(candidate.name),
          ...candidate.environment,
        },
        output: 'capture',
      });
    for (let round = 0; round < ROUNDS; round++) {
      for (const candidate of candidates) {
        const lambda = await start(candidate);
        wallMs.get(candidate.name)!.push(lambda.init.wallMs);
        cpuMs.get(candidate.name)!.push(lambda.init.cpuMs);
        await lambda.stop();
      }
      const probeLambda = await start(probe);
      const answer = await probeLambda.invoke<{ cpuMs: number }>({}, { timeoutMs: 10_000 });
      firstInvocationCpuMs.push(answer.cpuMs);
      await probeLambda.stop();
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
        `Moved from init to the first invocation: loading Powertools Tracer with the X-Ray SDK and capturing the client, ${median(firstInvocationCpuMs).toFixed(0)} ms CPU (median, ${TRACER_PROBE}).`,
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
