import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  CreateMatchmakingRuleSetCommand,
  DescribeMatchmakingConfigurationsCommand,
  DescribeMatchmakingRuleSetsCommand,
  InvalidRequestException,
  ValidateMatchmakingRuleSetCommand,
} from '@aws-sdk/client-gamelift';
import { DEV_TITLE_SECRET_KEY } from '../../lambdas/handlers/playfab-secrets';
import type { LocalService } from '../../lambdas/local/service';
import {
  applyMatchmakingConfig,
  ConfigFileError,
  DEFAULT_MATCHMAKING_CONFIG,
  type MatchmakingConfigFile,
  readMatchmakingConfig,
} from '../../lib/client/matchmaking-config';
import { gameLiftClient, startTestService } from '../support/local-service';
import { call } from '../support/playfab-client';

const ROOT = join(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

let service: LocalService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => {
  await service?.stop();
});

const target = () => ({ url: service.url, secretKey: DEV_TITLE_SECRET_KEY });
const apply = (file: MatchmakingConfigFile) =>
  applyMatchmakingConfig(file, gameLiftClient(service), target());

/** The project's file with every name made unique, so tests don't see each other's entries. */
function projectFileRenamed(suffix: string): MatchmakingConfigFile {
  const file = readMatchmakingConfig(DEFAULT_MATCHMAKING_CONFIG);
  return {
    ...file,
    ruleSets: file.ruleSets.map((ruleSet) => ({ ...ruleSet, Name: `${ruleSet.Name}-${suffix}` })),
    configurations: file.configurations.map((entry) => ({
      ...entry,
      Name: `${entry.Name}-${suffix}`,
      RuleSetName: `${String(entry.RuleSetName)}-${suffix}`,
    })),
    queues: file.queues.map((queue) => ({ ...queue, Name: `${queue.Name}-${suffix}` })),
  };
}

describe('configuration as code', () => {
  it('creates the project file’s rule sets, configurations and queues, then changes nothing on a second apply', async () => {
    const suffix = randomUUID().slice(0, 8);
    const file = projectFileRenamed(suffix);
    expect(file.ruleSets.length + file.configurations.length + file.queues.length).toBeGreaterThanOrEqual(3);

    const first = await apply(file);
    expect(first.map((entry) => entry.outcome)).toEqual(first.map(() => 'created'));
    const client = gameLiftClient(service);
    const configurationName = file.configurations[0]!.Name;
    const before = await client.send(
      new DescribeMatchmakingConfigurationsCommand({ Names: [configurationName] }),
    );
    expect(before.Configurations?.[0]?.RuleSetName).toBe(`example-2v2-${suffix}`);
    const queue = await call(service, 'GetMatchmakingQueue', { QueueName: file.queues[0]!.Name });
    expect(queue.body.data?.MatchmakingQueue).toMatchObject({ Name: file.queues[0]!.Name, MinMatchSize: 4 });

    const second = await apply(file);
    expect(second.map((entry) => entry.outcome)).toEqual(second.map(() => 'unchanged'));
    const after = await client.send(
      new DescribeMatchmakingConfigurationsCommand({ Names: [configurationName] }),
    );
    expect(after.Configurations).toEqual(before.Configurations);
  });

  it('updates a configuration and a queue whose settings changed in the file', async () => {
    const file = projectFileRenamed(randomUUID().slice(0, 8));
    await apply(file);
    const changed: MatchmakingConfigFile = {
      ...file,
      configurations: file.configurations.map((entry) => ({ ...entry, RequestTimeoutSeconds: 300 })),
      queues: file.queues.map((queue) => ({
        ...queue,
        MaxMatchSize: 4,
        MinMatchSize: 4,
        StatisticsVisibilityToPlayers: { ShowNumberOfPlayersMatching: true, ShowTimeToMatch: false },
      })),
    };
    const outcomes = await apply(changed);
    expect(outcomes.map((entry) => `${entry.kind}:${entry.outcome}`)).toEqual([
      'rule set:unchanged',
      'configuration:updated',
      'queue:updated',
    ]);
    const described = await gameLiftClient(service).send(
      new DescribeMatchmakingConfigurationsCommand({ Names: [file.configurations[0]!.Name] }),
    );
    expect(described.Configurations?.[0]?.RequestTimeoutSeconds).toBe(300);
  });

  it('refuses an invalid rule set with the API’s own message, before writing anything', async () => {
    const suffix = randomUUID().slice(0, 8);
    const file = projectFileRenamed(suffix);
    const broken = { ruleLanguageVersion: '1.0', teams: [{ name: 'red', minPlayers: 3, maxPlayers: 2 }] };
    const bad: MatchmakingConfigFile = {
      ...file,
      ruleSets: [...file.ruleSets, { Name: `broken-${suffix}`, RuleSetBody: broken }],
    };
    const apiError = await gameLiftClient(service)
      .send(new ValidateMatchmakingRuleSetCommand({ RuleSetBody: JSON.stringify(broken, null, 2) }))
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(apiError).toBeInstanceOf(InvalidRequestException);
    await expect(apply(bad)).rejects.toThrow(
      new ConfigFileError(
        `ruleSets[1] (broken-${suffix}): InvalidRequestException: ${(apiError as Error).message}`,
      ),
    );
    await expect(
      gameLiftClient(service).send(
        new DescribeMatchmakingRuleSetsCommand({ Names: [file.ruleSets[0]!.Name] }),
      ),
    ).rejects.toThrow(/not found|NotFound|does not exist/i);
  });

  it('refuses to change a stored rule set (FlexMatch rule sets are immutable)', async () => {
    const name = `fixed-${randomUUID().slice(0, 8)}`;
    const body = readMatchmakingConfig(DEFAULT_MATCHMAKING_CONFIG).ruleSets[0]!.RuleSetBody;
    await gameLiftClient(service).send(
      new CreateMatchmakingRuleSetCommand({ Name: name, RuleSetBody: JSON.stringify(body) }),
    );
    const different = { ...(body as Record<string, unknown>), name: 'renamed' };
    await expect(
      apply({ ruleSets: [{ Name: name, RuleSetBody: different }], configurations: [], queues: [] }),
    ).rejects.toThrow(/exists with another body/);
    // The same body written differently (another key order, spacing) is the same rule set.
    const reordered = Object.fromEntries(Object.entries(body as Record<string, unknown>).reverse());
    await expect(
      apply({ ruleSets: [{ Name: name, RuleSetBody: reordered }], configurations: [], queues: [] }),
    ).resolves.toEqual([{ kind: 'rule set', name, outcome: 'unchanged' }]);
  });

  it('refuses an invalid queue with PlayFab’s error', async () => {
    const name = `bad-queue-${randomUUID().slice(0, 8)}`;
    const queue = { Name: name, MinMatchSize: 1, MaxMatchSize: 2, ServerAllocationEnabled: false };
    const direct = await call(service, 'SetMatchmakingQueue', { MatchmakingQueue: queue });
    expect(direct.status).toBe(400);
    await expect(apply({ ruleSets: [], configurations: [], queues: [queue] })).rejects.toThrow(
      `queues[0] (${name}): ${direct.body.error} (${direct.body.errorCode}): ${direct.body.errorMessage}`,
    );
  });

  it('npm run apply -- --endpoint <url> applies a file through the SDK (SigV4 for execute-api)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'slotfill-apply-'));
    try {
      const path = join(folder, 'matchmaking.json');
      writeFileSync(path, JSON.stringify(projectFileRenamed(randomUUID().slice(0, 8))));
      // Asynchronously: the service answers from this very process.
      const run = () =>
        promisify(execFile)(
          process.execPath,
          [TSX, join(ROOT, 'bin', 'apply.ts'), '--endpoint', service.url, '--config', path],
          {
            encoding: 'utf8',
            env: {
              ...process.env,
              AWS_ACCESS_KEY_ID: service.options.credentials.accessKeyId,
              AWS_SECRET_ACCESS_KEY: service.options.credentials.secretAccessKey,
              AWS_REGION: service.options.region,
            },
          },
        );
      const first = await run();
      expect(first.stderr).toBe('');
      expect(first.stdout).toMatch(
        /^rule set example-2v2-\w+: created\nconfiguration example-2v2-\w+: created\nqueue example-2v2-\w+: created\n$/,
      );
      const second = await run();
      expect(second.stdout.match(/: unchanged/g)).toHaveLength(3);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('npm start', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill('SIGTERM');
  });

  /** Starts bin/local.ts on the test DynamoDB Local and resolves with what it printed once it is ready. */
  function start(args: string[]): Promise<{ code: number | null; output: string }> {
    return new Promise((resolve) => {
      let output = '';
      child = spawn(process.execPath, [TSX, join(ROOT, 'bin', 'local.ts'), ...args], {
        env: {
          ...process.env,
          PORT: '0',
          TABLE_NAME: `slotfill-start-${randomUUID()}`,
          MATCHMAKER_INTERVAL_MS: '2000',
        },
      });
      const collect = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ctrl-C stops')) resolve({ code: null, output });
      };
      child.stdout?.on('data', collect);
      child.stderr?.on('data', collect);
      child.on('exit', (code) => resolve({ code, output }));
    });
  }

  it('loads the project’s configuration file and prints what it applied', async () => {
    const { output } = await start([]);
    expect(output).toContain(`Loaded ${DEFAULT_MATCHMAKING_CONFIG}:`);
    expect(output).toMatch(
      /rule set example-2v2: created\n\s+configuration example-2v2: created\n\s+queue example-2v2: created/,
    );
  });

  it('stops with the API’s message when the file given on the command line is invalid', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'slotfill-start-'));
    try {
      const path = join(folder, 'bad.json');
      writeFileSync(
        path,
        JSON.stringify({
          configurations: [
            { Name: 'orphan', RuleSetName: 'missing', RequestTimeoutSeconds: 60, AcceptanceRequired: false },
          ],
        }),
      );
      const { code, output } = await start(['--config', path]);
      expect(code).toBe(1);
      expect(output).toMatch(/configurations\[0\] \(orphan\): NotFoundException: .*missing/);
      expect(readFileSync(path, 'utf8')).toContain('orphan');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
