import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type LambdaAsset,
  lambdaAssets,
  type SynthResult,
  synthesizeCloudAssembly,
} from '../../lib/cloud-assembly';

/**
 * One `cdk synth` per jest run, shared by every test file that needs the cloud assembly (the
 * CLI synth check, the bundle tests, the end-to-end suite on bundles). It runs on first use, not
 * in globalSetup, so a run that needs no assembly doesn't pay for it; the first worker to ask
 * takes a lock folder and synthesizes, the others wait for its result file.
 */
export interface TestCloudAssembly {
  directory: string;
  synth: SynthResult;
  assets: LambdaAsset[];
}

const WAIT_LIMIT_MS = 240_000;

export async function testCloudAssembly(): Promise<TestCloudAssembly> {
  const runDir = process.env.SLOTFILL_TEST_RUN_DIR;
  if (!runDir) throw new Error('SLOTFILL_TEST_RUN_DIR is not set: the jest globalSetup creates it');
  const directory = join(runDir, 'cdk.out');
  const resultFile = join(runDir, 'synth-result.json');
  let ownsLock = false;
  try {
    mkdirSync(join(runDir, 'synth.lock'));
    ownsLock = true;
  } catch {
    // Another worker is synthesizing (or has): wait for its result below.
  }
  if (ownsLock) {
    const synth = await synthesizeCloudAssembly(directory);
    writeFileSync(resultFile, JSON.stringify(synth));
  }
  const started = Date.now();
  while (!existsSync(resultFile)) {
    if (Date.now() - started > WAIT_LIMIT_MS) throw new Error(`No cdk synth result in ${resultFile}`);
    await sleep(200);
  }
  const synth = JSON.parse(readFileSync(resultFile, 'utf8')) as SynthResult;
  return { directory, synth, assets: synth.status === 0 ? lambdaAssets(directory) : [] };
}
