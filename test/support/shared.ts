import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * `../shared` beside the project root holds the vendors' specs and published rule sets, used
 * as test data only. CI always has it; a checkout without it skips those tests and says so.
 */
export const sharedDir = resolve(__dirname, '..', '..', '..', 'shared');

export function sharedPath(...parts: string[]): string | undefined {
  const full = join(sharedDir, ...parts);
  return existsSync(full) ? full : undefined;
}

/** `describe` when the shared file exists, otherwise a visibly skipped block naming what is missing. */
export function describeWithShared(title: string, parts: string[], body: (path: string) => void): void {
  const path = sharedPath(...parts);
  if (path) {
    describe(title, () => body(path));
  } else {
    console.warn(`SKIPPED "${title}": ${join(sharedDir, ...parts)} is absent`);
    describe.skip(`${title} (skipped: ../shared/${parts.join('/')} is absent)`, () => {
      it('needs the shared test data', () => undefined);
    });
  }
}
