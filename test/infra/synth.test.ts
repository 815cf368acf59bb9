import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../lib/project-root';

/**
 * The package-level check that `npx cdk synth -q` (the lead's `npm run synth`) works the way
 * CI and a fresh laptop run it: the real CLI and cdk.json, no AWS credentials, no network
 * besides what the CLI would try on its own (notices and version checks are switched off).
 * cdk-nag runs as a validation plugin, so a non-zero exit here also means a nag finding.
 */
describe('cdk synth (CLI, offline, no credentials)', () => {
  let outdir: string;

  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'slotfill-synth-'));
  });

  afterAll(() => {
    rmSync(outdir, { recursive: true, force: true });
  });

  it('synthesizes the Slotfill stack and exits 0', () => {
    // Drop every AWS_* variable so no credentials, profile or Region can leak in.
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')));
    const result = spawnSync(
      join(projectRoot, 'node_modules', '.bin', 'cdk'),
      ['synth', '-q', '--no-notices', '-o', outdir],
      {
        cwd: projectRoot,
        encoding: 'utf8',
        env: { ...env, CDK_DISABLE_VERSION_CHECK: '1', AWS_EC2_METADATA_DISABLED: 'true' },
        timeout: 120_000,
      },
    );
    expect({ status: result.status, stderr: result.status === 0 ? '' : result.stderr }).toEqual({
      status: 0,
      stderr: '',
    });
    const templatePath = join(outdir, 'Slotfill.template.json');
    expect(existsSync(templatePath)).toBe(true);
    const template = JSON.parse(readFileSync(templatePath, 'utf8')) as { Resources: Record<string, unknown> };
    expect(Object.keys(template.Resources).length).toBeGreaterThan(0);
  }, 120_000);
});
