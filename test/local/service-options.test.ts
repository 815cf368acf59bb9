import { beyondLoopbackWarning, localServiceOptionsFromEnv } from '../../lambdas/local/service';

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

describe('binding beyond loopback', () => {
  it('warns for every address other machines can reach, and stays quiet on loopback', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.20', 'my-laptop.lan']) {
      expect(beyondLoopbackWarning(host)).toMatch(new RegExp(`WARNING: slotfill is listening on ${host}`));
    }
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '::ffff:127.0.0.1']) {
      expect(beyondLoopbackWarning(host)).toBeUndefined();
    }
  });
});
