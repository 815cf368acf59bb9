import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

/**
 * One Lambda function in a process of its own (lambda-host.cjs): loaded once, invoked with
 * events, as the Lambda runtime does. The local service runs bundles this way (a bundle then
 * shares nothing with the service, and its dynamic imports work as in Lambda), and the bundle
 * tests run bundles and sources this way to compare their answers.
 */
export interface LambdaProcessOptions {
  /** The module Lambda would load (a bundle's index.js, or a TypeScript entry with tsx). */
  modulePath: string;
  exportName: string;
  functionName: string;
  /** Working directory: the bundle's own folder, as in Lambda. */
  cwd: string;
  /** The whole environment of the process: nothing is inherited. */
  env: Record<string, string>;
  /** Node options, e.g. `['--import', 'tsx']` to load TypeScript sources. */
  execArgv?: string[];
  /** `inherit` shows the function's logs on this terminal; `capture` keeps them for errors. */
  output: 'inherit' | 'capture';
}

interface Reply {
  id?: string;
  type?: 'ready' | 'failed';
  loadMs?: number;
  loadCpuMs?: number;
  ok?: boolean;
  value?: unknown;
  error?: string;
}

const HOST = join(__dirname, 'lambda-host.cjs');

export class LambdaProcess {
  private readonly pending = new Map<
    string,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  private captured = '';

  private constructor(
    private readonly child: ChildProcess,
    private readonly options: LambdaProcessOptions,
    /** How long the module took to load (the function's init): wall-clock and CPU milliseconds. */
    readonly init: { wallMs: number; cpuMs: number },
  ) {}

  /** Starts the process and resolves once the module has loaded; rejects with the load error. */
  static start(options: LambdaProcessOptions): Promise<LambdaProcess> {
    const child = fork(HOST, [options.modulePath, options.exportName], {
      cwd: options.cwd,
      env: options.env,
      execArgv: options.execArgv ?? [],
      stdio:
        options.output === 'inherit'
          ? ['ignore', 'inherit', 'inherit', 'ipc']
          : ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output += chunk.toString();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    return new Promise((resolve, reject) => {
      const fail = (reason: string) =>
        reject(
          new Error(
            `${options.functionName} (${options.modulePath}) did not load: ${reason}\n${output.slice(-4000)}`,
          ),
        );
      child.once('error', (error) => fail(String(error)));
      child.once('exit', (code) => fail(`exited with ${code}`));
      child.once('message', (reply: Reply) => {
        if (reply.type !== 'ready') {
          fail(reply.error ?? 'no ready message');
          return;
        }
        child.removeAllListeners('exit');
        child.removeAllListeners('error');
        const started = new LambdaProcess(child, options, {
          wallMs: reply.loadMs ?? 0,
          cpuMs: reply.loadCpuMs ?? 0,
        });
        started.captured = output;
        child.stdout?.off('data', keep);
        child.stderr?.off('data', keep);
        started.listen();
        resolve(started);
      });
    });
  }

  private listen(): void {
    const keep = (chunk: Buffer) => {
      this.captured = (this.captured + chunk.toString()).slice(-20_000);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.child.on('message', (reply: Reply) => {
      const waiting = reply.id ? this.pending.get(reply.id) : undefined;
      if (!waiting || !reply.id) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiting.resolve(reply.value);
      else waiting.reject(new Error(`${this.options.functionName} threw: ${reply.error}`));
    });
    this.child.on('exit', (code) => {
      for (const waiting of this.pending.values())
        waiting.reject(
          new Error(`${this.options.functionName} exited with ${code}:\n${this.captured.slice(-4000)}`),
        );
      this.pending.clear();
    });
  }

  /** Invokes the handler once; resolves with its answer, rejects with what it threw. */
  invoke<Answer>(event: unknown, context: { awsRequestId?: string; timeoutMs: number }): Promise<Answer> {
    const id = randomUUID();
    return new Promise<Answer>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.send({
        id,
        event,
        context: {
          functionName: this.options.functionName,
          awsRequestId: context.awsRequestId ?? randomUUID(),
          timeoutMs: context.timeoutMs,
        },
      });
    });
  }

  /** What the function printed (captured output only). */
  output(): string {
    return this.captured;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.disconnect();
    });
  }
}
