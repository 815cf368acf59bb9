import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import {
  parseSimulationModel,
  programFromText,
  SIMULATION_START_MS,
  type SimulationEvent,
  type SimulationRun,
  simulateQueue,
  summarize,
} from '../../lambdas/engine/simulation';
import { renderReport } from '../../lib/simulator/report';

const ROOT = join(__dirname, '..', '..');
const CHROMIUM = '/usr/bin/chromium';
const fixture = (path: string) => readFileSync(join(ROOT, 'test', 'fixtures', path), 'utf8');

/** A short, busy run: timeouts (tight timeout), departures and backfills (high leave chance), expansions. */
function busyRun(): SimulationRun {
  return simulateQueue(
    programFromText(fixture('rulesets/skill-5v5.jsonc'), 'skill-5v5'),
    parseSimulationModel({
      seconds: 90,
      rate: [
        { fromSecond: 0, perSecond: 12 },
        { fromSecond: 45, perSecond: 3 },
      ],
      parties: [
        { size: 1, weight: 7 },
        { size: 3, weight: 1 },
      ],
      attributes: { skill: { normal: { mean: 1500, deviation: 900 } } },
      timeoutSeconds: 15,
      leaveChancePerMinute: 0.3,
      gameSeconds: 60,
      seed: 7,
    }),
  );
}

/** The report's raw numbers, read back from its data attributes (scenario 0). */
function reportedMetrics(html: string): Map<string, number> {
  const metrics = new Map<string, number>();
  for (const match of html.matchAll(/data-scenario="0" data-metric="(\w+)" data-value="([^"]*)"/g)) {
    metrics.set(match[1] as string, match[2] === '' ? Number.NaN : Number(match[2]));
  }
  return metrics;
}

/** Independent nearest-rank percentile: the value at rank ⌈p·n⌉ of the sorted list. */
function rankPercentile(values: number[], share: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.ceil(share * sorted.length) - 1] ?? Number.NaN;
}

describe('simulation report', () => {
  const run = busyRun();
  const summary = summarize(run);
  const html = renderReport({ title: 'test', description: ['busy run'], summaries: [summary] });
  const metrics = reportedMetrics(html);
  const events = <T extends SimulationEvent['type']>(type: T) =>
    run.log.filter((event): event is Extract<SimulationEvent, { type: T }> => event.type === type);

  it('exercises what the report plots (the run is not trivial)', () => {
    expect(events('timeout').length).toBeGreaterThan(0);
    expect(events('leave').length).toBeGreaterThan(0);
    expect(events('match').filter((event) => event.backfillTicketId !== undefined).length).toBeGreaterThan(0);
    expect(events('game-filled').length).toBeGreaterThan(0);
    expect(events('blocked').length).toBeGreaterThan(0);
  });

  it('reports the counts a recount of the raw log gives', () => {
    const arrivals = events('arrival');
    const matches = events('match');
    const matchedTickets = matches.flatMap((event) => event.tickets);
    const players = (list: Array<{ players: number }>) =>
      list.reduce((total, entry) => total + entry.players, 0);
    expect(metrics.get('ticketsArrived')).toBe(arrivals.length);
    expect(metrics.get('playersArrived')).toBe(players(arrivals));
    expect(metrics.get('matchedPlayers')).toBe(players(matchedTickets));
    expect(metrics.get('timedOutPlayers')).toBe(players(events('timeout')));
    expect(metrics.get('newMatches')).toBe(
      matches.filter((event) => event.backfillTicketId === undefined).length,
    );
    expect(metrics.get('backfillMatches')).toBe(
      matches.filter((event) => event.backfillTicketId !== undefined).length,
    );
    expect(metrics.get('backfillRequests')).toBe(events('backfill-request').length);
    expect(metrics.get('matchedShare')).toBeCloseTo(players(matchedTickets) / players(arrivals), 10);
  });

  it('reports percentiles and shares a recount of the raw log gives', () => {
    const waits = events('match').flatMap((event) => event.tickets.map((ticket) => ticket.waitedMs / 1000));
    expect(metrics.get('timeToMatchP50')).toBe(rankPercentile(waits, 0.5));
    expect(metrics.get('timeToMatchP90')).toBe(rankPercentile(waits, 0.9));
    expect(metrics.get('timeToMatchP99')).toBe(rankPercentile(waits, 0.99));
    const fills = events('game-filled').map((event) => event.openMs / 1000);
    expect(metrics.get('fillTimeP50')).toBe(rankPercentile(fills, 0.5));
    const ticks = events('tick');
    const gameSeconds = ticks.reduce((total, tick) => total + tick.games, 0);
    const fullSeconds = ticks.reduce((total, tick) => total + tick.fullGames, 0);
    expect(metrics.get('shareFull')).toBeCloseTo(fullSeconds / gameSeconds, 10);
    const spreads = events('match')
      .filter((event) => event.backfillTicketId === undefined)
      .map((event) => {
        const skills = event.teamSkills.flat();
        return Math.max(...skills) - Math.min(...skills);
      });
    expect(metrics.get('skillSpreadP50')).toBe(rankPercentile(spreads, 0.5));
  });

  it('loses no ticket and matches none twice: arrived = matched + timed out + still waiting', () => {
    const ended = [...events('match').flatMap((event) => event.tickets), ...events('timeout')].map(
      (entry) => entry.ticketId,
    );
    expect(new Set(ended).size).toBe(ended.length);
    const lastTick = events('tick').at(-1);
    expect(events('arrival').length).toBe(ended.length + (lastTick?.waitingTickets ?? Number.NaN));
    // Every arrival is logged within the run, and nothing happens after its last second.
    for (const event of run.log) expect(event.t).toBeLessThanOrEqual(SIMULATION_START_MS + 90_000);
  });

  it('attributes every match to one step of each expansion', () => {
    const matches = events('match').length;
    for (const expansion of summary.expansions) {
      expect(expansion.steps.reduce((total, step) => total + step.matches, 0)).toBe(matches);
    }
    const html5v5Targets = [...html.matchAll(/data-expansion="([^"]+)"/g)].map((match) => match[1]);
    expect(new Set(html5v5Targets)).toEqual(
      new Set(run.program.expansions.map((expansion) => expansion.target)),
    );
  });

  it('gives the same log for the same seed, and another for another seed', () => {
    expect(busyRun().log).toEqual(run.log);
    const other = simulateQueue(run.program, { ...run.model, seed: 8 });
    expect(other.log).not.toEqual(run.log);
  });

  it('renders in headless chromium: every chart is drawn and the table is readable', async () => {
    expect(existsSync(CHROMIUM)).toBe(true); // .ci/run installs Debian's chromium
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      await page.setContent(html);
      const charts = await page.locator('svg').evaluateAll((svgs) =>
        svgs.map((svg) => {
          const box = svg.getBoundingClientRect();
          return {
            width: box.width,
            height: box.height,
            marks: svg.querySelectorAll('rect, polyline').length,
          };
        }),
      );
      expect(charts.length).toBeGreaterThanOrEqual(8);
      for (const chart of charts) {
        expect(chart.width).toBeGreaterThan(100);
        expect(chart.height).toBeGreaterThan(100);
        expect(chart.marks).toBeGreaterThan(0);
      }
      const matched = await page.locator('td[data-metric="matchedPlayers"]').textContent();
      expect(Number((matched ?? '').replaceAll(',', ''))).toBe(summary.matchedPlayers);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe('npm run simulate', () => {
  const folder = mkdtempSync(join(tmpdir(), 'slotfill-simulate-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const tsx = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const simulate = (...args: string[]) =>
    spawnSync(process.execPath, [tsx, join(ROOT, 'bin', 'simulate.ts'), ...args], {
      cwd: folder,
      encoding: 'utf8',
    });

  it('replays a recorded ticket log against a PlayFab queue and reports exactly those players', () => {
    const lines = Array.from({ length: 40 }, (_, index) =>
      JSON.stringify({
        at: index * 0.5,
        players: [{ playerId: `p${index}`, attributes: { skill: 1000 + (index % 5) * 20 } }],
      }),
    );
    writeFileSync(join(folder, 'tickets.jsonl'), `${lines.join('\n')}\n`);
    const result = simulate(
      '--rules',
      join(ROOT, 'test', 'fixtures', 'playfab', 'skill-duel.json'),
      '--log',
      'tickets.jsonl',
      '--out',
      'report.html',
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const metrics = reportedMetrics(readFileSync(join(folder, 'report.html'), 'utf8'));
    expect(metrics.get('playersArrived')).toBe(40);
    // Duels of close skill: every recorded player finds an opponent.
    expect(metrics.get('matchedPlayers')).toBe(40);
    expect(metrics.get('newMatches')).toBe(20);
  });

  it('refuses a rule set the API would refuse, with the API validator’s message', () => {
    writeFileSync(join(folder, 'broken.json'), JSON.stringify({ ruleLanguageVersion: '1.0', teams: [] }));
    const result = simulate('--rules', 'broken.json');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^simulate: broken\.json: .*teams/);
    expect(existsSync(join(folder, 'simulation-report.html'))).toBe(false);
  });
});
