import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './project-root';

/**
 * Reading what `cdk synth` wrote: the Lambda functions of the stack and the bundled code each
 * one deploys. The local service (in bundle mode), the bundle tests and the bundle benchmark
 * all start from here, so they run exactly the files `cdk deploy` uploads.
 */

/** One function of the synthesized stack and the asset folder Lambda would unpack. */
export interface LambdaAsset {
  /** The construct id the stack gives the function: the route table's name (GameLiftApi…) or Matchmaker. */
  name: string;
  /** Absolute path of the asset folder (index.js and its map). */
  directory: string;
  /** File inside the folder that Lambda loads, e.g. `index.js`. */
  file: string;
  /** Name of the exported handler function, e.g. `handler`. */
  exportName: string;
  /** Environment variables that are plain strings in the template (references are left out). */
  staticEnvironment: Record<string, string>;
}

interface TemplateResource {
  Type: string;
  Metadata?: Record<string, unknown>;
  Properties?: { Handler?: string; Environment?: { Variables?: Record<string, unknown> } };
}

/** Every Lambda function of every stack template in `assemblyDir` whose code is a local asset. */
export function lambdaAssets(assemblyDir: string): LambdaAsset[] {
  const templates = readdirSync(assemblyDir).filter((file) => file.endsWith('.template.json'));
  return templates.flatMap((file) => {
    const template = JSON.parse(readFileSync(join(assemblyDir, file), 'utf8')) as {
      Resources: Record<string, TemplateResource>;
    };
    return Object.values(template.Resources).flatMap((resource) => {
      if (resource.Type !== 'AWS::Lambda::Function') return [];
      const assetPath = resource.Metadata?.['aws:asset:path'];
      const constructPath = resource.Metadata?.['aws:cdk:path'];
      const handler = resource.Properties?.Handler;
      if (typeof assetPath !== 'string' || typeof constructPath !== 'string' || !handler) return [];
      // `<stack>/…/<name>/Function/Resource`: ServiceFunction names its function `Function`.
      const segments = constructPath.split('/');
      const name = segments[segments.length - 3] ?? constructPath;
      const dot = handler.lastIndexOf('.');
      const variables = resource.Properties?.Environment?.Variables ?? {};
      return [
        {
          name,
          directory: join(assemblyDir, assetPath),
          file: `${handler.slice(0, dot)}.js`,
          exportName: handler.slice(dot + 1),
          staticEnvironment: Object.fromEntries(
            Object.entries(variables).filter(
              (entry): entry is [string, string] => typeof entry[1] === 'string',
            ),
          ),
        },
      ];
    });
  });
}

export interface SynthResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the project's `cdk synth` the way a user's machine or CI runs it: the real CLI and
 * cdk.json, no AWS credentials or profile, no notices or version checks (no network).
 */
export function synthesizeCloudAssembly(outdir: string): Promise<SynthResult> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')));
  const child = spawn(
    join(projectRoot, 'node_modules', '.bin', 'cdk'),
    ['synth', '-q', '--no-notices', '-o', outdir],
    {
      cwd: projectRoot,
      env: { ...env, CDK_DISABLE_VERSION_CHECK: '1', AWS_EC2_METADATA_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}
