/**
 * `npm run apply -- --endpoint <url>`: applies the project's matchmaking configuration file
 * (rule sets, configurations, PlayFab queues) to a running slotfill, the deployed stack's ApiUrl
 * or a local service, through the official GameLift SDK (SigV4 for execute-api, credentials
 * from the usual AWS chain) and PlayFab's /Match calls. Idempotent; never deletes.
 */

import { parseArgs } from 'node:util';
import { GameLiftClient } from '@aws-sdk/client-gamelift';
import { DEV_TITLE_SECRET_KEY } from '../lambdas/handlers/playfab-secrets';
import { executeApiClientConfig, regionOfExecuteApiUrl } from '../lib/client/execute-api-auth';
import {
  applyMatchmakingConfig,
  ConfigFileError,
  DEFAULT_MATCHMAKING_CONFIG,
  describeApplied,
  readMatchmakingConfig,
} from '../lib/client/matchmaking-config';

const USAGE = `Usage: npm run apply -- --endpoint <url> [--config <file>] [--region <region>] [--playfab-secret-key <key>]

  --endpoint            The stack's ApiUrl output, or the URL npm start printed.
  --config              Configuration file (default lib/matchmaking.json).
  --region              Signing Region (default: from an execute-api URL, else AWS_REGION, else us-east-1).
  --playfab-secret-key  Title secret key for the PlayFab queues (default: SLOTFILL_PLAYFAB_SECRET_KEY,
                        else the local service's ${DEV_TITLE_SECRET_KEY}).
`;

function signingRegion(endpoint: string, given: string | undefined): string {
  if (given !== undefined) return given;
  try {
    return regionOfExecuteApiUrl(endpoint);
  } catch {
    return process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      endpoint: { type: 'string' },
      config: { type: 'string', default: DEFAULT_MATCHMAKING_CONFIG },
      region: { type: 'string' },
      'playfab-secret-key': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || values.endpoint === undefined) {
    process.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  const file = readMatchmakingConfig(values.config ?? DEFAULT_MATCHMAKING_CONFIG);
  const gamelift = new GameLiftClient(
    executeApiClientConfig(values.endpoint, signingRegion(values.endpoint, values.region)),
  );
  const applied = await applyMatchmakingConfig(file, gamelift, {
    url: values.endpoint,
    secretKey:
      values['playfab-secret-key'] ?? process.env.SLOTFILL_PLAYFAB_SECRET_KEY ?? DEV_TITLE_SECRET_KEY,
  });
  process.stdout.write(`${describeApplied(applied)}\n`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`apply: ${error instanceof ConfigFileError ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
