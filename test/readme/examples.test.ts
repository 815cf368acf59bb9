import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GameLiftClient } from '@aws-sdk/client-gamelift';
import { DEV_TITLE_SECRET_KEY } from '../../lambdas/handlers/playfab-secrets';
import {
  type LocalService,
  localServiceOptionsFromEnv,
  startLocalService,
} from '../../lambdas/local/service';
import {
  applyMatchmakingConfig,
  DEFAULT_MATCHMAKING_CONFIG,
  readMatchmakingConfig,
} from '../../lib/client/matchmaking-config';

/**
 * The README's TypeScript examples, run as a reader would: extracted from README.md, saved as
 * .mts files in the project folder, run with tsx against a local service that loaded the
 * project's configuration file (as `npm start` does) and whose matchmaker ticks on its own.
 */
const ROOT = join(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

function typeScriptBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)]
    .map((match) => match[1] as string)
    .filter((code) => code.includes('process.env.SLOTFILL_URL'));
}

let service: LocalService;
beforeAll(async () => {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  if (!endpoint) throw new Error('DYNAMODB_ENDPOINT is not set: the jest globalSetup starts DynamoDB Local');
  service = await startLocalService({
    ...localServiceOptionsFromEnv({}),
    port: 0,
    dynamoDbEndpoint: endpoint,
    tableName: `slotfill-readme-${randomUUID()}`,
    matchmakerIntervalMs: 250,
    printEvents: false,
  });
  const gamelift = new GameLiftClient({
    endpoint: service.url,
    region: service.options.region,
    credentials: service.options.credentials,
  });
  await applyMatchmakingConfig(readMatchmakingConfig(DEFAULT_MATCHMAKING_CONFIG), gamelift, {
    url: service.url,
    secretKey: DEV_TITLE_SECRET_KEY,
  });
});
afterAll(async () => {
  await service?.stop();
});

describe('README examples', () => {
  const blocks = typeScriptBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'));

  it('finds the runnable TypeScript examples (the extraction can fail)', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(1);
    expect(blocks.join('\n')).toContain('StartMatchBackfillCommand');
  });

  it.each(blocks.map((code, index) => [index, code] as const))(
    'example %i runs against the local service, twice (its names do not collide)',
    async (_index, code) => {
      // In the project folder, as the README says, so the project's packages resolve.
      const folder = mkdtempSync(join(ROOT, '.readme-example-'));
      try {
        const file = join(folder, 'example.mts');
        writeFileSync(file, code);
        // Asynchronously: the service answers from this very process.
        const run = () =>
          promisify(execFile)(process.execPath, [TSX, file], {
            cwd: ROOT,
            encoding: 'utf8',
            timeout: 90_000,
            env: { ...process.env, SLOTFILL_URL: service.url },
          });
        const first = await run();
        expect(first.stdout).toMatch(/^match: .+ → (red|blue)/m);
        expect(first.stdout).toMatch(/left (red|blue); eve joined (red|blue)/);
        const second = await run();
        expect(second.stdout).toMatch(/eve joined/);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
    200_000,
  );
});
