import type { TicketArrivals } from '../usecases/context';

/**
 * The local matchmaker's trigger, as AWS triggers it: a new ticket wakes a worker for its
 * configuration at once (the table's stream does this in AWS), and a periodic sweep wakes one
 * for every configuration (the scheduled fan-out, the safety net for timeouts, expansions and
 * acceptance deadlines). Per configuration at most one worker runs here; a wake-up during its
 * run makes it run once more right after, so arrivals during a pass coalesce into the next
 * one. Different configurations run in parallel, each worker under its configuration's lease.
 */
export class LocalMatchmakerScheduler implements TicketArrivals {
  private readonly running = new Map<string, Promise<void>>();
  private readonly wokenAgain = new Set<string>();
  private stopped = false;

  constructor(
    private readonly runWorker: (configurationName: string) => Promise<void>,
    private readonly listConfigurations: () => Promise<string[]>,
    private readonly reportError: (error: unknown) => void,
  ) {}

  ticketQueued(configurationName: string): void {
    this.wake(configurationName);
  }

  wake(configurationName: string): void {
    if (this.stopped) return;
    if (this.running.has(configurationName)) {
      this.wokenAgain.add(configurationName);
      return;
    }
    const run = (async () => {
      do {
        this.wokenAgain.delete(configurationName);
        await this.runWorker(configurationName).catch(this.reportError);
      } while (this.wokenAgain.has(configurationName) && !this.stopped);
    })().finally(() => this.running.delete(configurationName));
    this.running.set(configurationName, run);
  }

  /** Wakes a worker for every configuration (the timer's safety net). */
  async sweep(): Promise<void> {
    for (const name of await this.listConfigurations().catch((error: unknown) => {
      this.reportError(error);
      return [];
    }))
      this.wake(name);
  }

  /** Resolves once no worker runs (none starts after stop). */
  async stop(): Promise<void> {
    this.stopped = true;
    while (this.running.size > 0) await Promise.all(this.running.values());
  }
}
