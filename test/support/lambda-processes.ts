import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { httpApiEvent } from '../../lambdas/local/gateway';
import type { Route } from '../../lambdas/routes';
import type { LambdaAsset } from '../../lib/cloud-assembly';
import { projectRoot } from '../../lib/project-root';

/**
 * Runs a Lambda handler in a fresh Node process, the way the Lambda runtime would: either a
 * bundle copied out of the cloud assembly into a folder of its own (no project node_modules
 * within reach), or the TypeScript entry file the stack bundles (through tsx), so the two can
 * be given the same events and their answers compared.
 */

const RUNNER = join(__dirname, 'lambda-runner.cjs');

export interface Invocation {
  event: unknown;
  context: { awsRequestId: string; functionName: string; remainingMs: number[] };
}

export type InvocationResult = { ok: true; value: unknown } | { ok: false; error: string };

export interface ProcessRun {
  /** Milliseconds the module took to load (require) in the fresh process. */
  loadMs: number;
  invocations: InvocationResult[];
}

export type HandlerCode =
  | { kind: 'bundle'; asset: LambdaAsset; folder: string }
  | { kind: 'source'; entry: string; exportName: string };

/** Copies the asset folder (bundle and map) and the runner into `parent`, outside the project. */
export function isolateBundle(asset: LambdaAsset, parent: string): HandlerCode {
  const folder = join(parent, `${asset.name}-${randomUUID().slice(0, 8)}`);
  mkdirSync(folder, { recursive: true });
  cpSync(asset.directory, folder, { recursive: true });
  copyFileSync(RUNNER, join(folder, 'lambda-runner.cjs'));
  return { kind: 'bundle', asset, folder };
}

/** Runs `invocations` in order in one new process; rejects when the process itself fails. */
export async function runInFreshProcess(
  code: HandlerCode,
  invocations: Invocation[],
  environment: Record<string, string>,
  scratch: string,
): Promise<ProcessRun> {
  const id = randomUUID().slice(0, 8);
  const requestsFile = join(scratch, `requests-${id}.json`);
  const resultsFile = join(scratch, `results-${id}.json`);
  writeFileSync(requestsFile, JSON.stringify(invocations));
  const [args, cwd] =
    code.kind === 'bundle'
      ? [
          ['lambda-runner.cjs', code.asset.file, code.asset.exportName, requestsFile, resultsFile],
          code.folder,
        ]
      : [
          [
            '--import',
            'tsx',
            RUNNER,
            join(projectRoot, code.entry),
            code.exportName,
            requestsFile,
            resultsFile,
          ],
          projectRoot,
        ];
  // Only what Lambda would set, plus PATH: no NODE_PATH, no inherited npm or jest variables.
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...environment };
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const status = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (status !== 0) throw new Error(`${describeCode(code)} exited with ${status}:\n${output.slice(-4000)}`);
  return JSON.parse(readFileSync(resultsFile, 'utf8')) as ProcessRun;
}

export function describeCode(code: HandlerCode): string {
  return code.kind === 'bundle' ? `bundle ${code.asset.name} (${code.folder})` : `source ${code.entry}`;
}

/** An HTTP API (payload 2.0) invocation of `route`, as API Gateway would send it. */
export function httpInvocation(
  route: Route,
  request: {
    path: string;
    headers: Record<string, string>;
    body: string;
    pathParameters?: Record<string, string>;
  },
  accountId: string,
): Invocation {
  const awsRequestId = randomUUID();
  const event: APIGatewayProxyEventV2 = httpApiEvent({
    route,
    pathParameters: request.pathParameters ?? {},
    url: new URL(request.path, 'https://api.example.com'),
    headers: { host: 'api.example.com', ...lowerCaseKeys(request.headers) },
    body: request.body,
    requestId: awsRequestId,
    accountId,
    accessKey: route.auth === 'iam' ? 'AKIDEXAMPLE' : undefined,
  });
  return {
    event,
    context: {
      awsRequestId,
      functionName: route.function.name,
      remainingMs: [route.function.timeoutSeconds * 1000],
    },
  };
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
