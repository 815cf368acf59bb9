'use strict';
/**
 * A stand-in for the Lambda runtime: `node lambda-host.cjs <module> <export>`, started with an
 * IPC channel (child_process.fork). It loads the module once (the cold start, timed), then
 * invokes the exported handler for each message, one at a time as Lambda does, and answers:
 *   in:  { id, event, context: { functionName, awsRequestId, timeoutMs } }
 *   out: { type: 'ready', loadMs, loadCpuMs } once, then { id, ok: true, value } or { id, ok: false, error }
 * Plain CommonJS that requires only Node's own modules: what the loaded module can reach is
 * what its own folder offers, as in Lambda.
 */
const { resolve } = require('node:path');
const { lambdaContext } = require('./lambda-context.cjs');

const [modulePath, exportName] = process.argv.slice(2);
let handler;
try {
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  const loaded = require(resolve(modulePath));
  const cpu = process.cpuUsage(cpuBefore);
  const loadMs = Number(process.hrtime.bigint() - started) / 1e6;
  // CPU time is what a busy machine distorts least; Lambda's init is this work on its own vCPU.
  const loadCpuMs = (cpu.user + cpu.system) / 1000;
  handler = loaded[exportName];
  if (typeof handler !== 'function') throw new Error(`${modulePath} exports no function '${exportName}'`);
  process.send({ type: 'ready', loadMs, loadCpuMs });
} catch (error) {
  process.send({ type: 'failed', error: String(error?.stack ?? error) }, () => process.exit(1));
}

let queue = Promise.resolve();
process.on('message', (message) => {
  queue = queue.then(async () => {
    const { functionName, awsRequestId, timeoutMs } = message.context;
    try {
      const value = await handler(message.event, lambdaContext(functionName, awsRequestId, timeoutMs));
      process.send({ id: message.id, ok: true, value });
    } catch (error) {
      process.send({ id: message.id, ok: false, error: String(error?.stack ?? error) });
    }
  });
});
process.on('disconnect', () => process.exit(0));
