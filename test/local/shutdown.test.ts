import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { get } from 'node:http';
import { join, resolve } from 'node:path';

/**
 * `npm start` as a user runs it (tsx bin/local.ts), on the run's DynamoDB Local: the health
 * endpoint answers, and Ctrl-C (SIGINT) ends the process cleanly while an events watcher and
 * the console's stream are still connected.
 */
const projectRoot = resolve(__dirname, '..', '..');

function startService(): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  if (!endpoint) throw new Error('DYNAMODB_ENDPOINT is not set: the jest globalSetup starts DynamoDB Local');
  const child = spawn(
    process.execPath,
    [join(projectRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'bin/local.ts'],
    {
      cwd: projectRoot,
      env: {
        ...process.env,
        PORT: '0',
        DYNAMODB_ENDPOINT: endpoint,
        TABLE_NAME: `slotfill-test-${randomUUID()}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return new Promise((resolveStart, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = /listening on (http:\/\/\S+)/.exec(output);
      if (found?.[1]) resolveStart({ child, url: found[1], output: () => output });
    });
    child.once('exit', (code) => reject(new Error(`exited early (${code}): ${output}`)));
    setTimeout(() => reject(new Error(`not listening after 150 s: ${output}`)), 150_000).unref();
  });
}

/** Opens the event stream and resolves once its headers arrived; `ended` settles when the server ends it. */
function watchEvents(url: string): Promise<{ ended: Promise<void> }> {
  return new Promise((resolveWatch, reject) => {
    get(`${url}/_local/events`, (response) => {
      const ended = new Promise<void>((done) => response.on('close', () => done()));
      response.resume();
      resolveWatch({ ended });
    }).on('error', reject);
  });
}

let started: ChildProcess | undefined;
afterAll(() => {
  // Only when the test failed before Ctrl-C ended it.
  if (started && started.exitCode === null) started.kill('SIGKILL');
});

describe('npm start', () => {
  it('answers /_local/health, links the console, and stops on Ctrl-C with event watchers connected', async () => {
    const { child, url, output } = await startService();
    started = child;
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    {
      expect(output()).toContain(`console:   ${url}/`);
      const health = await fetch(`${url}/_local/health`);
      expect(health.status).toBe(200);
      await expect(health.json()).resolves.toMatchObject({ status: 'ok' });
      const page = await fetch(`${url}/`);
      await expect(page.text()).resolves.toContain('Why is this ticket still waiting?');

      const watchers = await Promise.all([watchEvents(url), watchEvents(url)]);
      child.kill('SIGINT');
      await expect(exited).resolves.toBe(0);
      // The server ended the streams rather than leaving them to time out.
      await Promise.all(watchers.map((watcher) => watcher.ended));
    }
    // Compiling the sources with tsx takes a while on a busy machine.
  }, 180_000);
});
