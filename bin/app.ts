#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SlotfillStack } from '../lib/slotfill-stack';

/**
 * Synthesizes offline and without credentials: the stack is environment-agnostic unless
 * `-c account=<id> -c region=<region>` pins it (only needed for lookups, which it has none of).
 *   -c stackName=Slotfill-dev  a second copy in the same account
 *   -c allowDestroy=true       dev stacks: `cdk destroy` deletes the table and logs
 */
const app = new App();

function contextString(key: string): string | undefined {
  const value: unknown = app.node.tryGetContext(key);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

const account = contextString('account');
const region = contextString('region');

new SlotfillStack(app, contextString('stackName') ?? 'Slotfill', {
  env: account || region ? { account, region } : undefined,
  description: 'slotfill: serverless matchmaking with backfill (GameLift FlexMatch and PlayFab dialects)',
  // `-c allowDestroy=true` arrives as the string "true"; a JSON context value as a boolean.
  allowDestroy: String(app.node.tryGetContext('allowDestroy')) === 'true',
});

// cdk-nag 3 runs as a CDK validation plugin: any unacknowledged finding fails the synth, and
// so every deploy. Acknowledgments sit on the specific constructs they concern.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
