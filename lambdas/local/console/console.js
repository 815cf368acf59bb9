// The local console's page script: plain browser JavaScript, no build step. It polls the
// local JSON endpoints for the pool and the passes, streams /_local/events for matches, and
// asks /_local/tickets/<id>/why for a waiting ticket's explanation. Everything it shows is
// built with textContent, never innerHTML, since ticket ids and rule details are user data.

const POLL_MS = 1000;
const MAX_EVENTS = 100;
const SVG = 'http://www.w3.org/2000/svg';

const state = { selected: undefined, pools: [], passes: [], events: [] };

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (name === 'onclick') node.addEventListener('click', value);
    else node.setAttribute(name, value);
  }
  for (const child of children) if (child !== undefined) node.append(child);
  return node;
}

function svgNode(tag, attributes, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

function ticketLink(ticketId) {
  return el('a', { class: 'ticket', 'data-ticket': ticketId, onclick: () => explain(ticketId) }, ticketId);
}

/** The configuration name an event belongs to (GameLift: its ARN; PlayFab: its queue). */
function configurationOf(envelope) {
  const detail = envelope.detail ?? {};
  if (detail.QueueName) return `pf:${detail.QueueName}`;
  const arn = envelope.resources?.[0] ?? '';
  return arn.split('/').pop();
}

async function getJson(path) {
  const response = await fetch(path, { cache: 'no-store' });
  const body = await response.json();
  if (!response.ok) throw new Error(body.message ?? response.statusText);
  return body;
}

// ---- configurations -------------------------------------------------------------------

function renderConfigurations() {
  const nav = document.getElementById('configurations');
  nav.replaceChildren(
    ...state.pools.map((pool) =>
      el(
        'button',
        {
          class: pool.configurationName === state.selected ? 'selected' : '',
          'data-configuration': pool.configurationName,
          onclick: () => {
            state.selected = pool.configurationName;
            renderAll();
          },
        },
        `${pool.configurationName} (${pool.tickets})`,
      ),
    ),
  );
  if (state.pools.length === 0)
    nav.append('No configuration yet: create one with the SDK, the CLI or PlayFab.');
}

// ---- pool -----------------------------------------------------------------------------

function renderPool() {
  const pool = state.pools.find((candidate) => candidate.configurationName === state.selected);
  document.getElementById('pool-summary').textContent = pool
    ? `${pool.tickets} ticket(s), ${pool.players} player(s) waiting`
    : '';
  document
    .getElementById('status-counts')
    .replaceChildren(
      ...Object.entries(pool?.byStatus ?? {}).map(([status, count]) =>
        el('span', { class: 'badge', 'data-status': status }, `${status} ${count}`),
      ),
    );
  drawHistogram(document.getElementById('wait-histogram'), pool?.ageSeconds ?? []);
  document
    .getElementById('pool-tickets')
    .replaceChildren(
      ...(pool?.waiting ?? []).map((ticket) =>
        el(
          'tr',
          {},
          el('td', {}, ticketLink(ticket.ticketId)),
          el('td', {}, ticket.status),
          el('td', {}, ticket.kind),
          el('td', {}, String(ticket.players)),
          el('td', {}, ticket.ageSeconds.toFixed(1)),
        ),
      ),
    );
}

/** Ten equal-width bins from 0 to the oldest age, bar height proportional to the count. */
function drawHistogram(svg, ages) {
  svg.replaceChildren();
  const width = 420;
  const height = 140;
  const bottom = height - 16;
  if (ages.length === 0) {
    svg.append(svgNode('text', { x: 10, y: 20 }, 'no waiting ticket'));
    return;
  }
  const bins = 10;
  const oldest = Math.max(1, ...ages);
  const binWidth = Math.ceil(oldest / bins);
  const counts = new Array(bins).fill(0);
  for (const age of ages) counts[Math.min(bins - 1, Math.floor(age / binWidth))]++;
  const highest = Math.max(...counts);
  const barWidth = (width - 20) / bins;
  counts.forEach((count, index) => {
    const barHeight = ((bottom - 12) * count) / highest;
    const x = 10 + index * barWidth;
    svg.append(
      svgNode('rect', {
        x: x + 1,
        y: bottom - barHeight,
        width: barWidth - 2,
        height: barHeight,
        fill: '#2f6fde',
      }),
      svgNode('text', { x: x + 2, y: height - 4 }, `${index * binWidth}`),
    );
    if (count > 0) svg.append(svgNode('text', { x: x + 3, y: bottom - barHeight - 2 }, String(count)));
  });
}

// ---- passes ---------------------------------------------------------------------------

function renderPasses() {
  const passes = state.passes.filter((pass) => pass.configurationName === state.selected);
  drawPassChart(document.getElementById('pass-chart'), passes.slice(-60));
  document.getElementById('passes').replaceChildren(
    ...passes
      .slice(-12)
      .reverse()
      .map((pass) =>
        el(
          'tr',
          {},
          el('td', {}, new Date(pass.at).toLocaleTimeString()),
          el('td', {}, String(pass.ticketsInPool)),
          el('td', {}, String(pass.matchesCommitted)),
          el('td', {}, String(pass.backfillsFilled)),
          el('td', {}, String(pass.matchesDropped)),
          el('td', {}, String(pass.timedOut)),
          el('td', {}, String(pass.durationMs)),
        ),
      ),
  );
}

/** Duration as bars; pool size and matches as lines on their own scale. */
function drawPassChart(svg, passes) {
  svg.replaceChildren();
  const width = 420;
  const bottom = 124;
  if (passes.length === 0) {
    svg.append(svgNode('text', { x: 10, y: 20 }, 'no pass with tickets yet'));
    return;
  }
  const step = (width - 20) / passes.length;
  const longest = Math.max(1, ...passes.map((pass) => pass.durationMs));
  const largest = Math.max(1, ...passes.map((pass) => Math.max(pass.ticketsInPool, pass.matchesCommitted)));
  passes.forEach((pass, index) => {
    const barHeight = ((bottom - 10) * pass.durationMs) / longest;
    svg.append(
      svgNode('rect', {
        class: 'bar duration',
        x: 10 + index * step + 1,
        y: bottom - barHeight,
        width: Math.max(1, step - 2),
        height: barHeight,
      }),
    );
  });
  const point = (pass, index, pick) => [
    10 + index * step + step / 2,
    bottom - ((bottom - 10) * pick(pass)) / largest,
  ];
  // A line with a dot per pass, so a single pass still shows.
  const series = (pick, color) => {
    const group = svgNode('g', {});
    group.append(
      svgNode('polyline', {
        fill: 'none',
        stroke: color,
        'stroke-width': 1.5,
        points: passes.map((pass, index) => point(pass, index, pick).join(',')).join(' '),
      }),
      ...passes.map((pass, index) => {
        const [cx, cy] = point(pass, index, pick);
        return svgNode('circle', { cx, cy, r: 2.5, fill: color });
      }),
    );
    return group;
  };
  svg.append(
    series((pass) => pass.ticketsInPool, '#2f6fde'),
    series((pass) => pass.matchesCommitted, '#3aa76d'),
    svgNode('text', { x: 12, y: 10 }, `max ${longest} ms · max ${largest} tickets`),
  );
}

// ---- live events ----------------------------------------------------------------------

function eventClass(type) {
  if (type === 'MatchmakingSucceeded' || type === 'Matched') return 'match';
  if (type === 'MatchmakingTimedOut' || type === 'MatchmakingCancelled' || type === 'Canceled')
    return 'ended';
  return '';
}

function renderEvents() {
  const list = document.getElementById('events');
  const shown = state.events.filter((envelope) => configurationOf(envelope) === state.selected);
  list.replaceChildren(
    ...shown
      .slice(-MAX_EVENTS)
      .reverse()
      .map((envelope) => {
        const detail = envelope.detail ?? {};
        const type = detail.type ?? detail.Status ?? envelope['detail-type'];
        const backfill = detail.gameSessionInfo?.gameSessionArn && type === 'MatchmakingSucceeded';
        const ticketIds = detail.tickets
          ? detail.tickets.map((ticket) => ticket.ticketId)
          : [detail.TicketId];
        const item = el(
          'li',
          { class: backfill ? 'backfill' : eventClass(type), 'data-type': type },
          el('time', {}, new Date(envelope.time).toLocaleTimeString()),
          el('strong', {}, backfill ? 'Backfill filled' : type),
          ' ',
        );
        ticketIds.filter(Boolean).forEach((ticketId, index) => {
          if (index > 0) item.append(', ');
          item.append(ticketLink(ticketId));
        });
        if (detail.reason) item.append(` — ${detail.reason}`);
        return item;
      }),
  );
}

function connectEvents() {
  const source = new EventSource('/_local/events');
  source.onmessage = (message) => {
    const envelope = JSON.parse(message.data);
    state.events.push(envelope);
    if (state.events.length > 1000) state.events.splice(0, state.events.length - 1000);
    const configuration = configurationOf(envelope);
    if (state.selected === undefined) state.selected = configuration;
    if (configuration === state.selected) renderEvents();
  };
}

// ---- why is this ticket waiting? ------------------------------------------------------

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

function renderCandidate(candidate, index) {
  const box = el(
    'div',
    { class: 'candidate', 'data-testid': 'candidate' },
    el(
      'div',
      {},
      el('strong', {}, `Candidate ${index + 1}: `),
      candidate.passed
        ? 'passes every rule'
        : `blocked by ${[...candidate.failingRules, ...candidate.teamProblems].join('; ')}`,
      ` (driving age ${seconds(candidate.drivingAgeMs)})`,
    ),
    el(
      'div',
      {},
      candidate.teams.map((team) => `${team.name}: ${team.playerIds.join(', ') || '—'}`).join(' · '),
    ),
  );
  const rows = candidate.rules.map((rule) =>
    el(
      'tr',
      { 'data-rule': rule.ruleName, class: rule.passed ? 'rule-pass' : 'rule-fail' },
      el('td', {}, rule.ruleName),
      el('td', {}, rule.ruleType),
      el('td', {}, rule.passed ? 'passed' : rule.enforced ? 'FAILED' : 'failed (not enforced)'),
      el('td', {}, rule.detail ?? ''),
    ),
  );
  box.append(
    el(
      'table',
      {},
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          el('th', {}, 'Rule'),
          el('th', {}, 'Type'),
          el('th', {}, 'Verdict'),
          el('th', {}, 'By how much'),
        ),
      ),
      el('tbody', {}, ...rows),
    ),
  );
  const next = candidate.nextChange;
  if (next) {
    const what = [
      ...next.changes.map((change) => `${change.target} → ${change.value}`),
      ...next.rulesBecomingOptional.map((rule) => `${rule} becomes optional`),
    ].join(', ');
    box.append(
      el(
        'p',
        { class: 'next', 'data-testid': 'next-change' },
        `Next expansion in ${seconds(next.inMs)} (at age ${seconds(next.atAgeMs)}): ${what}. ${
          next.matchWouldForm
            ? 'This candidate would then match.'
            : `Then ${next.resolves.join(', ')} pass(es).`
        }`,
      ),
    );
  } else if (!candidate.passed) {
    box.append(
      el('p', { class: 'next' }, 'No expansion step changes this candidate: it needs other players.'),
    );
  }
  return box;
}

async function explain(ticketId) {
  const input = document.getElementById('why-ticket');
  input.value = ticketId;
  const target = document.getElementById('why');
  target.replaceChildren('…');
  try {
    const report = await getJson(`/_local/tickets/${encodeURIComponent(ticketId)}/why`);
    const explanation = report.explanation;
    target.replaceChildren(
      el(
        'p',
        {},
        `${report.ticketId} · ${report.configurationName} · ${report.status}`,
        report.timesOutInSeconds === undefined ? '' : ` · times out in ${report.timesOutInSeconds} s`,
        ` · ${explanation.eligibleTickets} other eligible ticket(s)`,
      ),
      el(
        'p',
        { class: 'summary', 'data-testid': 'why-summary', 'data-verdict': explanation.verdict },
        explanation.summary,
      ),
      ...explanation.candidates.map(renderCandidate),
    );
  } catch (error) {
    target.replaceChildren(el('p', { class: 'rule-fail' }, String(error.message ?? error)));
  }
}

// ---- polling --------------------------------------------------------------------------

function renderAll() {
  renderConfigurations();
  renderPool();
  renderPasses();
  renderEvents();
}

async function poll() {
  const health = document.getElementById('health');
  try {
    const [pools, passes] = await Promise.all([getJson('/_local/pool'), getJson('/_local/passes')]);
    state.pools = pools;
    state.passes = passes.passes;
    if (!passes.available) document.getElementById('passes-panel').dataset.unavailable = 'true';
    if (state.selected === undefined || !pools.some((pool) => pool.configurationName === state.selected))
      state.selected =
        pools.find((pool) => pool.tickets > 0)?.configurationName ?? pools[0]?.configurationName;
    health.textContent = '● running';
    health.className = 'health ok';
    renderAll();
  } catch (error) {
    health.textContent = `● unreachable (${error.message})`;
    health.className = 'health down';
  }
  setTimeout(poll, POLL_MS);
}

document.getElementById('why-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const ticketId = document.getElementById('why-ticket').value.trim();
  if (ticketId) explain(ticketId);
});
connectEvents();
poll();
