import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { SlotfillError } from '../../shared/errors';
import type { UseCaseContext } from '../../usecases/context';
import type { PassReport } from '../../usecases/matchmaker';
import { explainWaitingTicket, viewPools } from '../../usecases/observation';

/** Pass reports kept for the console; older ones fall off. */
export const PASS_HISTORY = 300;

export interface TimedPassReport extends PassReport {
  /** When the pass finished (epoch ms). */
  at: number;
}

/** The most recent matchmaker pass reports, for the console's pass chart. */
export class PassLog {
  private readonly reports: TimedPassReport[] = [];

  record(passes: readonly PassReport[], at: number): void {
    for (const pass of passes) {
      // An idle configuration's pass is noise on the chart.
      if (pass.ticketsInPool === 0 && pass.matchesCommitted === 0) continue;
      this.reports.push({ ...pass, at });
    }
    if (this.reports.length > PASS_HISTORY) this.reports.splice(0, this.reports.length - PASS_HISTORY);
  }

  recent(): readonly TimedPassReport[] {
    return this.reports;
  }
}

export interface ConsoleSources {
  context: UseCaseContext;
  /** Undefined when pass reports are not available (the bundled matchmaker returns only counts). */
  passes: PassLog | undefined;
  startedAt: number;
}

const STATIC_FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/console.js': { file: 'console.js', type: 'text/javascript; charset=utf-8' },
  '/console.css': { file: 'console.css', type: 'text/css; charset=utf-8' },
};

const EXPLANATION_PATH = /^\/_local\/tickets\/([^/]+)\/why$/;

/**
 * The local console: a page (plain HTML and JS, no build step) and the JSON it reads. Local
 * only, never part of the deployed API. Returns true when it answered the request.
 */
export function serveConsole(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  sources: ConsoleSources,
): boolean {
  if (request.method !== 'GET') return false;
  const asset = STATIC_FILES[url.pathname];
  if (asset) {
    // Read per request so an edited page shows on reload; the files are a few kilobytes.
    response.writeHead(200, { 'content-type': asset.type, 'cache-control': 'no-store' });
    response.end(readFileSync(join(__dirname, asset.file)));
    return true;
  }
  if (url.pathname === '/_local/health') {
    answer(
      response,
      async () => {
        // One cheap read proves the table answers.
        await sources.context.store.listAllConfigurationNames();
        return { status: 'ok', uptimeSeconds: Math.round((Date.now() - sources.startedAt) / 1000) };
      },
      503,
    );
    return true;
  }
  if (url.pathname === '/_local/pool') {
    answer(response, () => viewPools(sources.context));
    return true;
  }
  if (url.pathname === '/_local/passes') {
    answer(response, async () => ({
      available: sources.passes !== undefined,
      passes: sources.passes?.recent() ?? [],
    }));
    return true;
  }
  const explanation = EXPLANATION_PATH.exec(url.pathname);
  if (explanation) {
    answer(response, () => explainWaitingTicket(sources.context, decodeURIComponent(explanation[1] ?? '')));
    return true;
  }
  return false;
}

function answer(response: ServerResponse, produce: () => Promise<unknown>, failureStatus = 500): void {
  produce().then(
    (body) => {
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(JSON.stringify(body));
    },
    (error: unknown) => {
      const status = error instanceof SlotfillError && error.kind === 'NotFound' ? 404 : failureStatus;
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ status: 'error', message: error instanceof Error ? error.message : String(error) }),
      );
    },
  );
}
