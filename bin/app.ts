#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SlotfillStack } from '../lib/slotfill-stack';

/**
 * Synthesizes offline and without credentials: the stack is environment-agnostic unless
 * `-c account=<id> -c region=<region>` pins it (only needed for lookups, which it has none of).
 *   -c stackName=Slotfill-dev  a second copy in the same account
 *   -c allowDestroy=true       dev stacks: `cdk destroy` deletes the table and logs
 *   -c eventBusName=slotfill-dev          the matchmaking event bus (default "slotfill")
 *   -c eventSource=mygame.matchmaking     the events' `source` (default "slotfill.matchmaking")
 *   -c eventDebugLogging=true             copy every matchmaking event to a log group
 *   -c matchmakerIntervalMs=500           interval between matchmaking passes, 100..2000 (default 1000)
 *   -c playerTokenIssuer=https://issuer.example.com   who issues player tokens (JWT authorizer)
 *   -c playerTokenAudience=my-game,my-game-dev        accepted `aud` values (comma-separated)
 *   -c logLevel=DEBUG                     the functions' log level (default INFO)
 *   -c timeToMatchAlarmSeconds=30         the p90 time-to-match alarm's threshold (default 60)
 */
const app = new App();

function contextString(key: string): string | undefined {
  const value: unknown = app.node.tryGetContext(key);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** `-c key=true` arrives as the string "true"; a JSON context value as a boolean. */
function contextFlag(key: string): boolean {
  return String(app.node.tryGetContext(key)) === 'true';
}

/** A number from `-c key=123` (a string) or from cdk.json (a number); rejects anything else. */
function contextNumber(key: string): number | undefined {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined || value === '') return undefined;
  const parsed = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isFinite(parsed))
    throw new Error(`Context ${key} must be a number; got ${JSON.stringify(value)}`);
  return parsed;
}

/** Comma-separated in `-c key=a,b`; a list in cdk.json. */
function contextList(key: string): string[] {
  const value: unknown = app.node.tryGetContext(key);
  const items = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(',') : [];
  return items.map((item) => item.trim()).filter((item) => item !== '');
}

const account = contextString('account');
const playerTokenIssuer = contextString('playerTokenIssuer');
const region = contextString('region');

new SlotfillStack(app, contextString('stackName') ?? 'Slotfill', {
  env: account || region ? { account, region } : undefined,
  description: 'slotfill: serverless matchmaking with backfill (GameLift FlexMatch and PlayFab dialects)',
  allowDestroy: contextFlag('allowDestroy'),
  // Range and format checks live in the constructs, so tests and other apps get them too.
  eventBusName: contextString('eventBusName'),
  eventSource: contextString('eventSource'),
  eventDebugLogging: contextFlag('eventDebugLogging'),
  matchmakerIntervalMs: contextNumber('matchmakerIntervalMs'),
  playerTokens: playerTokenIssuer
    ? { issuer: playerTokenIssuer, audience: contextList('playerTokenAudience') }
    : undefined,
  logLevel: contextString('logLevel'),
  timeToMatchAlarmSeconds: contextNumber('timeToMatchAlarmSeconds'),
  playerTicketsPerMinute: contextNumber('playerTicketsPerMinute'),
  titleTicketsPerSecond: contextNumber('titleTicketsPerSecond'),
});

// cdk-nag 3 runs as a CDK validation plugin: any unacknowledged finding fails the synth, and
// so every deploy. Acknowledgments sit on the specific constructs they concern.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
