/**
 * Small inline-SVG charts for the simulation report: no script, no external file, so the page
 * opens from disk, prints, and can be attached to a pull request. Each chart draws one series
 * per simulated scenario in that scenario's colour.
 */

export const SERIES_COLOURS = ['#2563eb', '#ea580c', '#16a34a', '#9333ea'];

const WIDTH = 560;
const HEIGHT = 260;
const MARGIN = { left: 56, right: 16, top: 16, bottom: 44 };
const PLOT_WIDTH = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_HEIGHT = HEIGHT - MARGIN.top - MARGIN.bottom;

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A round axis maximum (1, 2, 2.5 or 5 × a power of ten) at or above the largest value. */
function niceMaximum(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const factor of [1, 2, 2.5, 5, 10]) if (factor * power >= value) return factor * power;
  return 10 * power;
}

function formatTick(value: number): string {
  if (Math.abs(value) >= 1000) return `${Math.round(value / 100) / 10}k`;
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

interface Frame {
  xLabel: string;
  yLabel: string;
  xMax: number;
  yMax: number;
  xMin?: number;
  /** Category labels under the x axis instead of numeric ticks. */
  categories?: readonly string[];
}

interface LegendEntry {
  name: string;
  colourIndex: number;
  dashed?: boolean;
}

function frame(title: string, options: Frame, body: string, legend: readonly LegendEntry[]): string {
  const xMin = options.xMin ?? 0;
  const parts: string[] = [];
  for (let tick = 0; tick <= 4; tick++) {
    const value = (options.yMax * tick) / 4;
    const y = MARGIN.top + PLOT_HEIGHT - (PLOT_HEIGHT * tick) / 4;
    parts.push(
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y}" y2="${y}" stroke="#e5e7eb"/>`,
      `<text x="${MARGIN.left - 6}" y="${y + 4}" text-anchor="end" font-size="11">${formatTick(value)}</text>`,
    );
  }
  if (options.categories === undefined) {
    for (let tick = 0; tick <= 5; tick++) {
      const value = xMin + ((options.xMax - xMin) * tick) / 5;
      const x = MARGIN.left + (PLOT_WIDTH * tick) / 5;
      parts.push(
        `<text x="${x}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle" font-size="11">${formatTick(value)}</text>`,
      );
    }
  } else {
    const width = PLOT_WIDTH / Math.max(1, options.categories.length);
    options.categories.forEach((label, index) => {
      const x = MARGIN.left + width * (index + 0.5);
      // About 6 px per character at this size: cut labels to their group's width.
      const room = Math.max(3, Math.floor(width / 6));
      const short = label.length > room ? `${label.slice(0, room - 1)}…` : label;
      parts.push(
        `<text x="${x}" y="${HEIGHT - MARGIN.bottom + 14}" text-anchor="middle" font-size="10"><title>${escapeHtml(label)}</title>${escapeHtml(short)}</text>`,
      );
    });
  }
  const legendWidth = PLOT_WIDTH / Math.max(1, legend.length);
  const legendRoom = Math.max(4, Math.floor((legendWidth - 16) / 6));
  const legendItems = legend
    .map(({ name, colourIndex, dashed }, index) => {
      const x = MARGIN.left + index * legendWidth;
      const colour = SERIES_COLOURS[colourIndex % SERIES_COLOURS.length];
      const short = name.length > legendRoom ? `${name.slice(0, legendRoom - 1)}…` : name;
      const mark = dashed
        ? `<line x1="${x}" x2="${x + 10}" y1="7" y2="7" stroke="${colour}" stroke-width="2" stroke-dasharray="3 2"/>`
        : `<rect x="${x}" y="2" width="10" height="10" fill="${colour}"/>`;
      return `${mark}<text x="${x + 14}" y="11" font-size="11"><title>${escapeHtml(name)}</title>${escapeHtml(short)}</text>`;
    })
    .join('');
  return [
    `<figure><figcaption>${escapeHtml(title)}</figcaption>`,
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeHtml(title)}" font-family="system-ui, sans-serif">`,
    ...parts,
    `<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${MARGIN.top + PLOT_HEIGHT}" stroke="#374151"/>`,
    `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${MARGIN.top + PLOT_HEIGHT}" y2="${MARGIN.top + PLOT_HEIGHT}" stroke="#374151"/>`,
    body,
    legendItems,
    `<text x="${MARGIN.left + PLOT_WIDTH / 2}" y="${HEIGHT - 6}" text-anchor="middle" font-size="12">${escapeHtml(options.xLabel)}</text>`,
    `<text transform="translate(14 ${MARGIN.top + PLOT_HEIGHT / 2}) rotate(-90)" text-anchor="middle" font-size="12">${escapeHtml(options.yLabel)}</text>`,
    '</svg></figure>',
  ].join('');
}

export interface Series {
  name: string;
  points: ReadonlyArray<readonly [number, number]>;
  /** Dashed stroke, to tell p50 from p90 of the same scenario. */
  dashed?: boolean;
  colourIndex: number;
}

/** Lines over a numeric x axis; NaN points break the line (a window without data). */
export function lineChart(title: string, xLabel: string, yLabel: string, series: readonly Series[]): string {
  const points = series.flatMap((line) => line.points).filter(([, y]) => Number.isFinite(y));
  const xMax = Math.max(1, ...points.map(([x]) => x));
  const yMax = niceMaximum(Math.max(0, ...points.map(([, y]) => y)));
  const toX = (x: number) => MARGIN.left + (x / xMax) * PLOT_WIDTH;
  const toY = (y: number) => MARGIN.top + PLOT_HEIGHT - (y / yMax) * PLOT_HEIGHT;
  const body = series
    .map((line) => {
      const segments: string[] = [];
      let current: string[] = [];
      for (const [x, y] of line.points) {
        if (!Number.isFinite(y)) {
          if (current.length > 0) segments.push(current.join(' '));
          current = [];
          continue;
        }
        current.push(`${toX(x).toFixed(1)},${toY(y).toFixed(1)}`);
      }
      if (current.length > 0) segments.push(current.join(' '));
      const colour = SERIES_COLOURS[line.colourIndex % SERIES_COLOURS.length];
      return segments
        .map(
          (segment) =>
            `<polyline fill="none" stroke="${colour}" stroke-width="2"${line.dashed ? ' stroke-dasharray="5 3"' : ''} points="${segment}"><title>${escapeHtml(line.name)}</title></polyline>`,
        )
        .join('');
    })
    .join('');
  return frame(
    title,
    { xLabel, yLabel, xMax, yMax },
    body,
    series.map((line) => ({ name: line.name, colourIndex: line.colourIndex, dashed: line.dashed === true })),
  );
}

/** Grouped bars: one group per category, one bar per series. */
export function barChart(
  title: string,
  xLabel: string,
  yLabel: string,
  categories: readonly string[],
  series: ReadonlyArray<{ name: string; values: readonly number[] }>,
): string {
  const yMax = niceMaximum(Math.max(0, ...series.flatMap((entry) => entry.values.filter(Number.isFinite))));
  const groupWidth = PLOT_WIDTH / Math.max(1, categories.length);
  const barWidth = (groupWidth * 0.8) / Math.max(1, series.length);
  const body = series
    .map((entry, seriesIndex) =>
      entry.values
        .map((value, index) => {
          if (!Number.isFinite(value) || value <= 0) return '';
          const height = (value / yMax) * PLOT_HEIGHT;
          const x = MARGIN.left + groupWidth * index + groupWidth * 0.1 + barWidth * seriesIndex;
          return `<rect x="${x.toFixed(1)}" y="${(MARGIN.top + PLOT_HEIGHT - height).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${height.toFixed(1)}" fill="${SERIES_COLOURS[seriesIndex % SERIES_COLOURS.length]}"><title>${escapeHtml(`${entry.name} · ${categories[index]}: ${formatTick(value)}`)}</title></rect>`;
        })
        .join(''),
    )
    .join('');
  return frame(
    title,
    { xLabel, yLabel, xMax: categories.length, yMax, categories },
    body,
    series.map((entry, index) => ({ name: entry.name, colourIndex: index })),
  );
}

/** Equal-width bins from 0 to the largest value of every series, as a grouped bar chart. */
export function histogram(
  title: string,
  xLabel: string,
  series: ReadonlyArray<{ name: string; values: readonly number[] }>,
  binCount = 20,
): string {
  const largest = Math.max(0, ...series.flatMap((entry) => entry.values));
  const binWidth = niceMaximum(largest) / binCount || 1;
  const categories = Array.from({ length: binCount }, (_, index) => formatTick(index * binWidth));
  const counts = series.map((entry) => {
    const bins = new Array<number>(binCount).fill(0);
    for (const value of entry.values) {
      const index = Math.min(binCount - 1, Math.floor(value / binWidth));
      bins[index] = (bins[index] ?? 0) + 1;
    }
    return { name: entry.name, values: bins };
  });
  return barChart(title, `${xLabel} (bins of ${formatTick(binWidth)})`, 'count', categories, counts);
}
