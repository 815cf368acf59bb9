import { resolve } from 'node:path';

/**
 * The repository root. Route table entries (`lambdas/handlers/...`) are relative to it, and
 * esbuild bundles from it so that it finds the one package-lock.json and node_modules.
 * Resolved from this file rather than process.cwd() so that `cdk synth` and jest agree
 * whatever directory they are started from.
 */
export const projectRoot = resolve(__dirname, '..');
