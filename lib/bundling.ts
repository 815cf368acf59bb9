import { join } from 'node:path';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';

/**
 * How every slotfill function is bundled for Lambda, in one place: the CDK stack hands these
 * settings to NodejsFunction, and the bundle benchmark builds its baseline with the same ones,
 * so a setting that breaks or bloats the deployed code shows up in both.
 */

/**
 * cdk-nag AwsSolutions-L1 demands the newest Node.js runtime this aws-cdk-lib knows; 24 is
 * it for 2.276 (nodejs20.x is deprecated, 22 would be flagged).
 */
export const LAMBDA_RUNTIME = Runtime.NODEJS_24_X;

/** esbuild's target follows the runtime so the two cannot disagree (`nodejs24.x` → `node24`). */
export const ESBUILD_TARGET = `node${/^nodejs(\d+)/.exec(LAMBDA_RUNTIME.name)?.[1] ?? '22'}`;

/**
 * Prefer a package's ES module build over its `main`. Some dependencies (jsonc-parser) point
 * `main` at a UMD wrapper whose inner `require`s esbuild cannot follow: the bundle then fails
 * on load with "Cannot find module". ES module builds are also what esbuild tree-shakes.
 */
export const MAIN_FIELDS = ['module', 'main'];

/**
 * Packages the functions load only at their first invocation (lambdas/shared/tracing.ts: the
 * Tracer and the X-Ray SDK). They stay out of index.js, because V8 parses the whole file at init
 * even where the code never runs then (about 6 ms for these, bundle benchmark), and are bundled
 * on their own, self-contained, into the asset's `node_modules`, where Node's `require` finds
 * them as it would the installed package.
 */
export const FIRST_INVOCATION_PACKAGES = ['@aws-lambda-powertools/tracer'];

/** Where a first-invocation package goes in a function's asset folder. */
export function firstInvocationPackageFile(assetDir: string, name: string): string {
  return join(assetDir, 'node_modules', name, 'index.js');
}

function shellQuoted(argument: string): string {
  return `'${argument.replaceAll("'", "'\\''")}'`;
}

/** The esbuild runs (shell commands, run from the project root) that bundle them into an asset. */
function firstInvocationBundleCommands(projectDir: string, assetDir: string): string[] {
  return FIRST_INVOCATION_PACKAGES.map((name) =>
    [
      join(projectDir, 'node_modules', '.bin', 'esbuild'),
      name,
      '--bundle',
      '--platform=node',
      '--format=cjs',
      '--minify',
      `--target=${ESBUILD_TARGET}`,
      `--main-fields=${MAIN_FIELDS.join(',')}`,
      '--sourcemap',
      '--sources-content=false',
      '--log-level=warning',
      `--outfile=${firstInvocationPackageFile(assetDir, name)}`,
    ]
      .map(shellQuoted)
      .join(' '),
  );
}

/** The settings as NodejsFunction takes them. */
export const lambdaBundling: BundlingOptions = {
  // Never Docker: the build machines have no Docker engine, and the local esbuild (a
  // devDependency) gives the same output faster.
  forceDockerBundling: false,
  mainFields: MAIN_FIELDS,
  minify: true,
  // No keepNames: its wrappers around every function and class cost about a tenth of the
  // init time (bundle benchmark); our errors carry explicit names, and stack traces are read
  // through the map.
  keepNames: false,
  target: ESBUILD_TARGET,
  // CJS: esbuild converts the ESM-only dependencies (middy 6) and the X-Ray SDK that
  // Powertools Tracer loads is CommonJS, so no createRequire banner is needed.
  format: OutputFormat.CJS,
  // The map sits beside the bundle (index.js.map) for decoding a stack trace after the fact,
  // without its sources. The functions don't load it: `--enable-source-maps` would parse
  // megabytes of mappings on every cold start (measured in the bundle benchmark).
  sourceMap: true,
  sourceMapMode: SourceMapMode.DEFAULT,
  sourcesContent: false,
  // Bundle the AWS SDK too instead of using the runtime's copy: the deployed code then runs
  // exactly the SDK versions of package-lock.json that the tests ran against. Only the
  // first-invocation packages are left out of index.js, and bundled beside it.
  externalModules: FIRST_INVOCATION_PACKAGES,
  // `import()` of a package left out becomes `require()`: kept as `import()` it would start
  // Node's ES module loader at the first invocation, about 70 ms of CPU (bundle benchmark).
  esbuildArgs: { '--supported:dynamic-import': 'false' },
  commandHooks: {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir, outputDir) => firstInvocationBundleCommands(inputDir, outputDir),
  },
};

/** The same settings as esbuild's build API takes them (benchmark baselines). */
export const esbuildSettings = {
  bundle: true,
  platform: 'node',
  mainFields: MAIN_FIELDS,
  minify: true,
  keepNames: false,
  target: ESBUILD_TARGET,
  format: 'cjs',
  sourcemap: 'linked',
  sourcesContent: false,
  external: FIRST_INVOCATION_PACKAGES,
  supported: { 'dynamic-import': false },
} as const;
