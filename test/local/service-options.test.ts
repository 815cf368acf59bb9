import { localServiceOptionsFromEnv } from '../../lambdas/local/service';

describe('npm start settings from the environment', () => {
  it('serves the TypeScript sources unless SLOTFILL_HANDLERS asks for the bundles', () => {
    expect(localServiceOptionsFromEnv({}).handlers).toBe('sources');
    const bundles = localServiceOptionsFromEnv({
      SLOTFILL_HANDLERS: 'bundles',
      SLOTFILL_ASSEMBLY_DIR: 'cdk.out',
    });
    expect(bundles.handlers).toBe('bundles');
    expect(bundles.assemblyDir).toMatch(/^\/.*cdk\.out$/);
  });

  it('refuses an unknown handler source, naming the ones it knows', () => {
    expect(() => localServiceOptionsFromEnv({ SLOTFILL_HANDLERS: 'bundle' })).toThrow(
      "SLOTFILL_HANDLERS must be one of sources, bundles, got 'bundle'",
    );
  });
});
