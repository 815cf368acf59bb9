/**
 * The figures of a simulation report, computed from the run's event log only. Keeping this a
 * pure function of the log is what lets a test recount every number from the raw events.
 */
import { SIMULATION_START_MS, type SimulationEvent, type SimulationRun } from './run';

/** Nearest-rank percentile (the smallest value with at least `share` of the values at or below it). */
export function percentile(values: readonly number[], share: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((left, right) => left - right);
  const rank = Math.max(1, Math.ceil(share * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1] as number;
}

export interface Percentiles {
  count: number;
  p50: number;
  p90: number;
  p99: number;
}

function percentiles(values: readonly number[]): Percentiles {
  return {
    count: values.length,
    p50: percentile(values, 0.5),
    p90: percentile(values, 0.9),
    p99: percentile(values, 0.99),
  };
}

export interface TimeWindow {
  /** Window start, seconds from the start of the run. */
  fromSecond: number;
  matchedPlayers: number;
  timedOutPlayers: number;
  /** Seconds waited by tickets matched in this window. */
  waitSeconds: Percentiles;
  /** Share of game-seconds in this window with every seat taken. */
  shareFull: number;
}

export interface ExpansionEffect {
  target: string;
  /** Index 0 is the base value, then one entry per step. */
  steps: Array<{ label: string; matches: number; waitSecondsP50: number }>;
}

export interface SimulationSummary {
  name: string;
  seconds: number;
  ticketsArrived: number;
  playersArrived: number;
  matchedPlayers: number;
  timedOutPlayers: number;
  /** Players still waiting when the run ended. */
  waitingPlayers: number;
  newMatches: number;
  backfillMatches: number;
  /** Seconds each matched ticket (new match or joining a backfill) waited. */
  timeToMatch: Percentiles;
  timeToMatchSamples: number[];
  /** Highest minus lowest skill of a new match's players. */
  skillSpread: Percentiles;
  skillSpreadSamples: number[];
  /** Gap between the highest and lowest team average skill of a new match. */
  teamGap: Percentiles;
  teamGapSamples: number[];
  backfillRequests: number;
  /** Seconds from a game losing its first player (or starting short) until it was full again. */
  fillTime: Percentiles;
  fillTimeSamples: number[];
  /** Share of game-seconds with every seat taken. */
  shareFull: number;
  /** Game-seconds by tenths of seats taken (index 10 = full). */
  gameSecondsByFillTenths: number[];
  /** Failed rule → how many sampled waiting tickets it refused, most blocking first. */
  blockingRules: Array<{ rule: string; tickets: number }>;
  blockedSamples: number;
  expansions: ExpansionEffect[];
  windows: TimeWindow[];
  passMs: number;
}

function windowSeconds(seconds: number): number {
  // About 30 windows whatever the run's length, in whole seconds.
  return Math.max(1, Math.ceil(seconds / 30));
}

export function summarize(run: SimulationRun, name = run.program.name): SimulationSummary {
  const { log, program, model } = run;
  const width = windowSeconds(model.seconds);
  const windowCount = Math.ceil(model.seconds / width);
  const windows = Array.from({ length: windowCount }, (_, index) => ({
    fromSecond: index * width,
    matchedPlayers: 0,
    timedOutPlayers: 0,
    waits: [] as number[],
    gameSeconds: 0,
    fullSeconds: 0,
  }));
  const windowOf = (event: SimulationEvent) =>
    windows[
      Math.min(windowCount - 1, Math.floor((event.t - SIMULATION_START_MS) / 1000 / width))
    ] as (typeof windows)[number];

  let ticketsArrived = 0;
  let playersArrived = 0;
  let matchedPlayers = 0;
  let timedOutPlayers = 0;
  let newMatches = 0;
  let backfillMatches = 0;
  let backfillRequests = 0;
  let blockedSamples = 0;
  let gameSeconds = 0;
  let fullSeconds = 0;
  const gameSecondsByFillTenths = new Array<number>(11).fill(0);
  const timeToMatch: number[] = [];
  const skillSpread: number[] = [];
  const teamGap: number[] = [];
  const fillTime: number[] = [];
  const blocking = new Map<string, number>();
  const expansionCounts = program.expansions.map((expansion) =>
    Array.from({ length: expansion.steps.length + 1 }, () => [] as number[]),
  );

  for (const event of log) {
    switch (event.type) {
      case 'arrival':
        ticketsArrived++;
        playersArrived += event.players;
        break;
      case 'timeout':
        timedOutPlayers += event.players;
        windowOf(event).timedOutPlayers += event.players;
        break;
      case 'match': {
        const window = windowOf(event);
        for (const ticket of event.tickets) {
          matchedPlayers += ticket.players;
          window.matchedPlayers += ticket.players;
          timeToMatch.push(ticket.waitedMs / 1000);
          window.waits.push(ticket.waitedMs / 1000);
        }
        const longestWait = Math.max(0, ...event.tickets.map((ticket) => ticket.waitedMs / 1000));
        event.expansionSteps.forEach((step, index) => {
          expansionCounts[index]?.[step]?.push(longestWait);
        });
        if (event.backfillTicketId !== undefined) {
          backfillMatches++;
          break;
        }
        newMatches++;
        const skills = event.teamSkills.flat();
        if (skills.length > 0) skillSpread.push(Math.max(...skills) - Math.min(...skills));
        const averages = event.teamSkills
          .filter((team) => team.length > 0)
          .map((team) => team.reduce((total, skill) => total + skill, 0) / team.length);
        if (averages.length > 1) teamGap.push(Math.max(...averages) - Math.min(...averages));
        break;
      }
      case 'backfill-request':
        backfillRequests++;
        break;
      case 'game-filled':
        fillTime.push(event.openMs / 1000);
        break;
      case 'tick': {
        const window = windowOf(event);
        gameSeconds += event.games;
        fullSeconds += event.fullGames;
        window.gameSeconds += event.games;
        window.fullSeconds += event.fullGames;
        event.gamesByFillTenths.forEach((games, tenths) => {
          gameSecondsByFillTenths[tenths] = (gameSecondsByFillTenths[tenths] ?? 0) + games;
        });
        break;
      }
      case 'blocked':
        blockedSamples++;
        for (const rule of event.failedRules) blocking.set(rule, (blocking.get(rule) ?? 0) + 1);
        break;
      default:
        break;
    }
  }

  return {
    name,
    seconds: model.seconds,
    ticketsArrived,
    playersArrived,
    matchedPlayers,
    timedOutPlayers,
    waitingPlayers: playersArrived - matchedPlayers - timedOutPlayers,
    newMatches,
    backfillMatches,
    timeToMatch: percentiles(timeToMatch),
    timeToMatchSamples: timeToMatch,
    skillSpread: percentiles(skillSpread),
    skillSpreadSamples: skillSpread,
    teamGap: percentiles(teamGap),
    teamGapSamples: teamGap,
    backfillRequests,
    fillTime: percentiles(fillTime),
    fillTimeSamples: fillTime,
    shareFull: gameSeconds === 0 ? Number.NaN : fullSeconds / gameSeconds,
    gameSecondsByFillTenths,
    blockingRules: [...blocking.entries()]
      .map(([rule, tickets]) => ({ rule, tickets }))
      .sort((left, right) => right.tickets - left.tickets || left.rule.localeCompare(right.rule)),
    blockedSamples,
    expansions: program.expansions.map((expansion, index) => ({
      target: expansion.target,
      steps: (expansionCounts[index] ?? []).map((waits, step) => ({
        label:
          step === 0
            ? 'base'
            : `after ${((expansion.steps[step - 1]?.atAgeMs ?? 0) / 1000).toFixed(0)} s → ${expansion.steps[step - 1]?.value}`,
        matches: waits.length,
        waitSecondsP50: percentile(waits, 0.5),
      })),
    })),
    windows: windows.map((window) => ({
      fromSecond: window.fromSecond,
      matchedPlayers: window.matchedPlayers,
      timedOutPlayers: window.timedOutPlayers,
      waitSeconds: percentiles(window.waits),
      shareFull: window.gameSeconds === 0 ? Number.NaN : window.fullSeconds / window.gameSeconds,
    })),
    passMs: run.passMs,
  };
}
