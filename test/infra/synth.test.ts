import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestCloudAssembly, testCloudAssembly } from '../support/cloud-assembly';

/**
 * The package-level check that `npx cdk synth -q` (`npm run synth`) works the way CI and a
 * fresh laptop run it: the real CLI and cdk.json, no AWS credentials, no network besides what
 * the CLI would try on its own (notices and version checks are switched off). cdk-nag runs as
 * a validation plugin, so a non-zero exit here also means a nag finding.
 */
describe('cdk synth (CLI, offline, no credentials)', () => {
  let assembly: TestCloudAssembly;

  beforeAll(async () => {
    assembly = await testCloudAssembly();
  }, 240_000);

  it('synthesizes the Slotfill stack and exits 0', () => {
    expect({
      status: assembly.synth.status,
      stderr: assembly.synth.status === 0 ? '' : assembly.synth.stderr,
    }).toEqual({ status: 0, stderr: '' });
    const templatePath = join(assembly.directory, 'Slotfill.template.json');
    expect(existsSync(templatePath)).toBe(true);
    const template = JSON.parse(readFileSync(templatePath, 'utf8')) as { Resources: Record<string, unknown> };
    expect(Object.keys(template.Resources).length).toBeGreaterThan(0);
  });

  it('bundles one asset per function, each with its handler file and no source text in the map', () => {
    expect(assembly.assets.map((asset) => asset.name).sort()).toEqual([
      'GameLiftApi',
      'Matchmaker',
      'MatchmakerWorker',
      'PlayFabApi',
    ]);
    for (const asset of assembly.assets) {
      expect(existsSync(join(asset.directory, asset.file))).toBe(true);
      const map = JSON.parse(readFileSync(join(asset.directory, `${asset.file}.map`), 'utf8')) as {
        sourcesContent?: unknown;
      };
      expect(map.sourcesContent).toBeUndefined();
    }
  });
});
