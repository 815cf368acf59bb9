import { waitStatistics } from '../../lambdas/usecases/matches';

describe('time-to-match statistics', () => {
  it('gives the mean and nearest-rank percentiles of the waits', () => {
    const waits = Array.from({ length: 100 }, (_, index) => index + 1); // 1..100 seconds, shuffled below
    const shuffled = [...waits].sort((a, b) => ((a * 37) % 101) - ((b * 37) % 101));
    expect(waitStatistics(shuffled)).toEqual({ average: 50.5, p50: 50, p90: 90, p99: 99 });
  });

  it('reports a single wait as every statistic', () => {
    expect(waitStatistics([4.2])).toEqual({ average: 4.2, p50: 4.2, p90: 4.2, p99: 4.2 });
  });
});
