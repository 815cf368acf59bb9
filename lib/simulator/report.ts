/**
 * The simulation report: one self-contained HTML page (inline CSS and SVG, no script) comparing
 * one or two scenarios. Every figure comes from lambdas/engine/simulation's summary of a run;
 * the summary table carries each raw value in `data-metric`/`data-value` attributes so tools
 * (and the report's own test) can read the numbers without scraping formatted text.
 */
import type { SimulationSummary } from '../../lambdas/engine/simulation';
import { barChart, escapeHtml, histogram, lineChart, SERIES_COLOURS, type Series } from './svg';

export interface ReportInput {
  title: string;
  /** One line each: what was simulated (model, log, seed), shown under the title. */
  description: readonly string[];
  summaries: readonly SimulationSummary[];
}

interface Metric {
  key: string;
  label: string;
  value: (summary: SimulationSummary) => number;
  format: 'count' | 'seconds' | 'share' | 'number' | 'ms';
}

function share(part: number, whole: number): number {
  return whole === 0 ? Number.NaN : part / whole;
}

export const REPORT_METRICS: readonly Metric[] = [
  { key: 'ticketsArrived', label: 'Tickets arrived', value: (s) => s.ticketsArrived, format: 'count' },
  { key: 'playersArrived', label: 'Players arrived', value: (s) => s.playersArrived, format: 'count' },
  { key: 'matchedPlayers', label: 'Players matched', value: (s) => s.matchedPlayers, format: 'count' },
  { key: 'timedOutPlayers', label: 'Players timed out', value: (s) => s.timedOutPlayers, format: 'count' },
  {
    key: 'waitingPlayers',
    label: 'Players still waiting at the end',
    value: (s) => s.waitingPlayers,
    format: 'count',
  },
  {
    key: 'matchedShare',
    label: 'Matched share',
    value: (s) => share(s.matchedPlayers, s.playersArrived),
    format: 'share',
  },
  {
    key: 'timedOutShare',
    label: 'Timed-out share',
    value: (s) => share(s.timedOutPlayers, s.playersArrived),
    format: 'share',
  },
  { key: 'newMatches', label: 'New matches', value: (s) => s.newMatches, format: 'count' },
  { key: 'backfillMatches', label: 'Backfills filled', value: (s) => s.backfillMatches, format: 'count' },
  { key: 'backfillRequests', label: 'Backfill requests', value: (s) => s.backfillRequests, format: 'count' },
  { key: 'timeToMatchP50', label: 'Time to match p50', value: (s) => s.timeToMatch.p50, format: 'seconds' },
  { key: 'timeToMatchP90', label: 'Time to match p90', value: (s) => s.timeToMatch.p90, format: 'seconds' },
  { key: 'timeToMatchP99', label: 'Time to match p99', value: (s) => s.timeToMatch.p99, format: 'seconds' },
  {
    key: 'skillSpreadP50',
    label: 'Skill spread p50 (new matches)',
    value: (s) => s.skillSpread.p50,
    format: 'number',
  },
  { key: 'teamGapP50', label: 'Team gap p50 (new matches)', value: (s) => s.teamGap.p50, format: 'number' },
  { key: 'fillTimeP50', label: 'Backfill fill time p50', value: (s) => s.fillTime.p50, format: 'seconds' },
  { key: 'fillTimeP90', label: 'Backfill fill time p90', value: (s) => s.fillTime.p90, format: 'seconds' },
  { key: 'shareFull', label: 'Game time with every seat taken', value: (s) => s.shareFull, format: 'share' },
  { key: 'passMs', label: 'Matching pass, wall ms (total)', value: (s) => s.passMs, format: 'ms' },
];

function formatValue(value: number, format: Metric['format']): string {
  if (!Number.isFinite(value)) return '–';
  switch (format) {
    case 'count':
      return value.toLocaleString('en-US');
    case 'seconds':
      return `${value.toFixed(1)} s`;
    case 'share':
      return `${(value * 100).toFixed(1)} %`;
    case 'ms':
      return `${Math.round(value).toLocaleString('en-US')} ms`;
    default:
      return value.toFixed(1);
  }
}

function summaryTable(summaries: readonly SimulationSummary[]): string {
  const header = summaries
    .map(
      (summary, index) =>
        `<th scope="col"><span class="swatch" style="background:${SERIES_COLOURS[index % SERIES_COLOURS.length]}"></span>${escapeHtml(summary.name)}</th>`,
    )
    .join('');
  const rows = REPORT_METRICS.map((metric) => {
    const cells = summaries
      .map((summary, index) => {
        const value = metric.value(summary);
        return `<td data-scenario="${index}" data-metric="${metric.key}" data-value="${Number.isFinite(value) ? value : ''}">${formatValue(value, metric.format)}</td>`;
      })
      .join('');
    return `<tr><th scope="row">${escapeHtml(metric.label)}</th>${cells}</tr>`;
  }).join('');
  return `<table class="summary"><thead><tr><th></th>${header}</tr></thead><tbody>${rows}</tbody></table>`;
}

function windowSeries(
  summaries: readonly SimulationSummary[],
  pick: (window: SimulationSummary['windows'][number]) => number,
  suffix: string,
  dashed = false,
): Series[] {
  return summaries.map((summary, index) => ({
    name: `${summary.name} ${suffix}`.trim(),
    colourIndex: index,
    dashed,
    points: summary.windows.map((window) => [window.fromSecond, pick(window)] as const),
  }));
}

function blockingChart(summaries: readonly SimulationSummary[]): string {
  const rules = [
    ...new Set(summaries.flatMap((summary) => summary.blockingRules.map((entry) => entry.rule))),
  ];
  if (rules.length === 0) return '<p class="note">No sampled waiting ticket was refused by a rule.</p>';
  const series = summaries.map((summary) => ({
    name: summary.name,
    values: rules.map((rule) => {
      const tickets = summary.blockingRules.find((entry) => entry.rule === rule)?.tickets ?? 0;
      return summary.blockedSamples === 0 ? 0 : (100 * tickets) / summary.blockedSamples;
    }),
  }));
  return barChart('Which rule blocks waiting tickets', 'rule', '% of refused samples', rules, series);
}

function expansionSection(summaries: readonly SimulationSummary[]): string {
  const blocks = summaries.flatMap((summary, index) =>
    summary.expansions.map((expansion) => {
      const rows = expansion.steps
        .map(
          (step) =>
            `<tr><td>${escapeHtml(step.label)}</td><td data-expansion="${escapeHtml(expansion.target)}" data-scenario="${index}">${step.matches}</td><td>${formatValue(step.waitSecondsP50, 'seconds')}</td></tr>`,
        )
        .join('');
      return `<table class="expansion"><caption><span class="swatch" style="background:${SERIES_COLOURS[index % SERIES_COLOURS.length]}"></span>${escapeHtml(summary.name)} · <code>${escapeHtml(expansion.target)}</code></caption><thead><tr><th>step in force</th><th>matches</th><th>longest wait p50</th></tr></thead><tbody>${rows}</tbody></table>`;
    }),
  );
  if (blocks.length === 0) return '<p class="note">The rule set has no expansions.</p>';
  return `<div class="grid">${blocks.join('')}</div>`;
}

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1200px; color: #111827; padding: 0 1rem; }
h1 { margin-bottom: .2rem; } .lede { color: #4b5563; margin-top: 0; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 1rem; }
figure { margin: 0; } figcaption { font-weight: 600; margin-bottom: .3rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; } th, td { padding: .25rem .6rem; border-bottom: 1px solid #e5e7eb; text-align: right; }
th[scope=row], caption, td:first-child { text-align: left; } caption { font-weight: 600; padding-bottom: .3rem; }
.swatch { display: inline-block; width: .7rem; height: .7rem; margin-right: .35rem; border-radius: 2px; }
.note { color: #4b5563; }
`;

export function renderReport(input: ReportInput): string {
  const { summaries } = input;
  const named = (values: (summary: SimulationSummary) => readonly number[]) =>
    summaries.map((summary) => ({ name: summary.name, values: values(summary) }));
  const sections = [
    `<h2>Summary</h2>${summaryTable(summaries)}`,
    '<h2>Time to match</h2><div class="grid">',
    histogram(
      'Time to match, every matched ticket',
      'seconds waited',
      named((summary) => summary.timeToMatchSamples),
    ),
    lineChart('Time to match over time (p50 solid, p90 dashed)', 'simulated second', 'seconds waited', [
      ...windowSeries(summaries, (window) => window.waitSeconds.p50, 'p50'),
      ...windowSeries(summaries, (window) => window.waitSeconds.p90, 'p90', true),
    ]),
    lineChart('Matched (solid) and timed-out (dashed) players per window', 'simulated second', 'players', [
      ...windowSeries(summaries, (window) => window.matchedPlayers, 'matched'),
      ...windowSeries(summaries, (window) => window.timedOutPlayers, 'timed out', true),
    ]),
    '</div><h2>Match quality</h2><div class="grid">',
    histogram(
      'Skill spread of new matches (highest − lowest)',
      'skill points',
      named((summary) => summary.skillSpreadSamples),
    ),
    histogram(
      'Team gap of new matches (team averages)',
      'skill points',
      named((summary) => summary.teamGapSamples),
    ),
    '</div><h2>Backfill</h2><div class="grid">',
    histogram(
      'Time for a game that lost players to be full again',
      'seconds',
      named((summary) => summary.fillTimeSamples),
    ),
    barChart(
      'How full running games are (share of game time)',
      'seats taken',
      '% of game time',
      Array.from({ length: 11 }, (_, tenths) => (tenths === 10 ? 'full' : `${tenths * 10}%+`)),
      named((summary) => {
        const total = summary.gameSecondsByFillTenths.reduce((sum, value) => sum + value, 0);
        return summary.gameSecondsByFillTenths.map((value) => (total === 0 ? 0 : (100 * value) / total));
      }),
    ),
    lineChart('Share of running games with every seat taken', 'simulated second', '% of games', [
      ...windowSeries(summaries, (window) => window.shareFull * 100, ''),
    ]),
    '</div><h2>What holds tickets back</h2>',
    '<p class="note">Every few simulated seconds the oldest waiting tickets are examined: each with its nearest waiting neighbours by skill, teams filled by a snake draft, judged by the real rule evaluator. The chart shows which rules refuse those candidates.</p>',
    blockingChart(summaries),
    '<h2>Effect of each expansion step</h2>',
    '<p class="note">Matches formed while each step was in force (by the age that drives expansions), and how long the longest-waiting ticket of those matches had waited.</p>',
    expansionSection(summaries),
  ];
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(input.title)}</title><style>${STYLE}</style></head><body>`,
    `<h1>${escapeHtml(input.title)}</h1>`,
    ...input.description.map((line) => `<p class="lede">${escapeHtml(line)}</p>`),
    ...sections,
    '</body></html>',
  ].join('\n');
}
