import type { MiddlewareObj } from '@middy/core';

/**
 * X-Ray tracing with Powertools Tracer, loaded at a function's first invocation instead of at
 * its init. The Tracer imports the X-Ray SDK (with cls-hooked and semver) when its module
 * loads, which cost about a fifth of every function's init (bundle benchmark, README); a cold
 * start pays it once either way, now in the first invocation. Clients are registered at init
 * (`traced`) and captured before the first handler call (`tracing`), so every AWS call a
 * handler makes is traced as before. In the Lambda bundles the Tracer is a file of its own
 * beside index.js (lib/bundling.ts), so that init does not even parse it.
 */

const importTracer = () => import('@aws-lambda-powertools/tracer');
type Tracer = InstanceType<Awaited<ReturnType<typeof importTracer>>['Tracer']>;

interface TraceableClient {
  middlewareStack: unknown;
}

/** Clients waiting for the Tracer; once it is loaded, new clients are captured at once. */
const registered: TraceableClient[] = [];
let loading: Promise<Tracer> | undefined;
let loaded: Tracer | undefined;

/** Registers an AWS SDK v3 client for tracing from the first invocation on; returns it unchanged. */
export function traced<Client extends TraceableClient>(client: Client): Client {
  if (loaded) loaded.captureAWSv3Client(client);
  else registered.push(client);
  return client;
}

/**
 * The process's Tracer: loaded once, then every registered client is captured (Powertools adds
 * X-Ray's middleware to the client's own stack, so the client objects stay the same). Service
 * name and whether tracing is on come from the environment, as Powertools reads them.
 */
export function loadTracer(): Promise<Tracer> {
  loading ??= importTracer().then(({ Tracer }) => {
    const tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'slotfill' });
    for (const client of registered.splice(0)) tracer.captureAWSv3Client(client);
    loaded = tracer;
    return tracer;
  });
  return loading;
}

/** The values Powertools reads as "off" in POWERTOOLS_TRACE_ENABLED. */
const OFF = new Set(['0', 'n', 'no', 'f', 'false', 'off']);

/**
 * Tracing switched off (the local service, tests): then the Tracer is never loaded. Loading it
 * would cost more than its init: the X-Ray SDK's context tracking hooks every promise the
 * process creates, about a twentieth of the local service's CPU in a profile.
 */
function tracingSwitchedOff(): boolean {
  return OFF.has((process.env.POWERTOOLS_TRACE_ENABLED ?? '').trim().toLowerCase());
}

/** Middy middleware: the Tracer is in place (and the clients captured) before the handler runs. */
export function tracing<Event, Result>(): MiddlewareObj<Event, Result> {
  return {
    before: async () => {
      if (tracingSwitchedOff()) return;
      await loadTracer();
    },
  };
}
