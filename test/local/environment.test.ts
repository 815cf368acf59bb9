/**
 * The local service turns Powertools' metrics off (EMF is for CloudWatch), and must do so
 * before its own imports build the metrics instance: set later, the switch is never read.
 */
describe('the local service environment', () => {
  it('keeps metrics off the terminal, even though the service imports the metrics instance itself', () => {
    delete process.env.POWERTOOLS_METRICS_DISABLED;
    const written: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      jest.isolateModules(() => {
        require('../../lambdas/local/service');
        const { metrics } =
          require('../../lambdas/shared/observability') as typeof import('../../lambdas/shared/observability');
        metrics.addMetric('LocalProbe', 'Count', 1);
        metrics.publishStoredMetrics();
      });
    } finally {
      write.mockRestore();
    }
    expect(process.env.POWERTOOLS_METRICS_DISABLED).toBe('true');
    expect(written.join('')).not.toContain('LocalProbe');
  });

  it('leaves a metrics switch the user exported as it is', () => {
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
    jest.isolateModules(() => {
      require('../../lambdas/local/environment');
    });
    expect(process.env.POWERTOOLS_METRICS_DISABLED).toBe('false');
  });
});
