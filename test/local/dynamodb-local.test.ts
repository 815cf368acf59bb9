import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { startDynamoDbLocal } from '../../lambdas/local/dynamodb-local';

const projectRoot = resolve(__dirname, '..', '..');

/** A PATH that holds node but no java, as on a machine without a JRE. */
function pathWithoutJava(): string {
  const folder = mkdtempSync(join(tmpdir(), 'no-java-'));
  symlinkSync(process.execPath, join(folder, 'node'));
  return folder;
}

// Jest sandboxes process.env, so a child process is the only honest way to hide java.
describe('starting DynamoDB Local without Java', () => {
  it('makes npm start print one clear line and exit non-zero', () => {
    const tsx = join(projectRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs');
    const result = spawnSync(process.execPath, [tsx, 'bin/local.ts'], {
      cwd: projectRoot,
      env: { PATH: pathWithoutJava(), HOME: process.env.HOME ?? dirname(projectRoot), PORT: '0' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    const lines = result.stderr.split('\n').filter((line) => line.startsWith('slotfill:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/needs Java 17 or newer/);
    expect(result.stdout).not.toMatch(/listening/);
  });
});

describe('the JVM DynamoDB Local runs in', () => {
  // /proc shows a process's command line only on Linux; elsewhere there is nothing to read.
  const onLinux = process.platform === 'linux' ? it : it.skip;

  onLinux('gets the quick compiler and the serial collector in front of the jar', async () => {
    const dynamo = await startDynamoDbLocal();
    try {
      const commandLine = readFileSync(`/proc/${dynamo.pid}/cmdline`, 'utf8').split('\0');
      const jar = commandLine.indexOf('-jar');
      expect(commandLine.slice(1, jar)).toEqual(
        expect.arrayContaining(['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC']),
      );
      expect(commandLine[jar + 1]).toMatch(/DynamoDBLocal\.jar$/);
      expect(commandLine).toEqual(expect.arrayContaining(['-inMemory', '-sharedDb']));
    } finally {
      await dynamo.stop();
    }
  });
});
