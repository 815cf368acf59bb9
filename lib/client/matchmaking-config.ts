/**
 * Configuration as code: a file of FlexMatch rule sets, matchmaking configurations and PlayFab
 * queues, applied to a running slotfill (the local service at `npm start`, or a deployed stack
 * with `npm run apply`) through its public API: the official GameLift SDK and PlayFab's
 * `/Match/*` calls. Going through the API means every entry is checked by the same validators
 * and use cases as any other caller, with the same error messages.
 *
 * Idempotent: each entry is read first and written only when it differs, so applying a file
 * twice changes nothing the second time. Never deletes: what the file no longer lists stays.
 * Rule sets are immutable in FlexMatch; a rule set whose stored body differs from the file is
 * an error (give the new body a new name and point the configuration at it).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateMatchmakingConfigurationCommand,
  type CreateMatchmakingConfigurationCommandInput,
  CreateMatchmakingRuleSetCommand,
  DescribeMatchmakingConfigurationsCommand,
  DescribeMatchmakingRuleSetsCommand,
  type GameLiftClient,
  NotFoundException,
  UpdateMatchmakingConfigurationCommand,
  ValidateMatchmakingRuleSetCommand,
} from '@aws-sdk/client-gamelift';
import { type ParseError, parse as parseJsonc, printParseErrorCode } from 'jsonc-parser';
import * as z from 'zod';
import { projectRoot } from '../project-root';

const NamedEntry = z.looseObject({ Name: z.string().min(1) });

export const MatchmakingConfigFileSchema = z.strictObject({
  $comment: z.string().optional(),
  /** `RuleSetBody` is the rule set itself (an object) or its JSON text. */
  ruleSets: z
    .array(
      z.strictObject({
        Name: z.string().min(1),
        RuleSetBody: z.union([z.string(), z.record(z.string(), z.unknown())]),
      }),
    )
    .default([]),
  /** CreateMatchmakingConfiguration requests. */
  configurations: z.array(NamedEntry).default([]),
  /** PlayFab MatchmakingQueueConfig objects (what SetMatchmakingQueue takes). */
  queues: z.array(NamedEntry).default([]),
});
export type MatchmakingConfigFile = z.infer<typeof MatchmakingConfigFileSchema>;

export class ConfigFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigFileError';
  }
}

/** Reads and checks the file's outline; entries themselves are the API's to validate. */
export function readMatchmakingConfig(path: string): MatchmakingConfigFile {
  const errors: ParseError[] = [];
  const raw: unknown = parseJsonc(readFileSync(path, 'utf8'), errors, { allowTrailingComma: false });
  if (errors.length > 0)
    throw new ConfigFileError(
      `${path}: not JSON (${errors.map((error) => printParseErrorCode(error.error)).join(', ')} at offset ${errors[0]?.offset})`,
    );
  const parsed = MatchmakingConfigFileSchema.safeParse(raw);
  if (!parsed.success)
    throw new ConfigFileError(
      `${path}: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`).join('; ')}`,
    );
  return parsed.data;
}

/** Where to send the PlayFab half: the service's base URL and a title secret key. */
export interface PlayFabTarget {
  url: string;
  secretKey: string;
}

export type ApplyOutcome = 'created' | 'updated' | 'unchanged';

export interface AppliedEntry {
  kind: 'rule set' | 'configuration' | 'queue';
  name: string;
  outcome: ApplyOutcome;
}

/** JSON text with object keys sorted, so two equal documents compare equal as strings. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(
          Object.entries(inner as Record<string, unknown>).sort(([left], [right]) =>
            left.localeCompare(right),
          ),
        )
      : inner,
  );
}

function ruleSetText(body: string | Record<string, unknown>): string {
  return typeof body === 'string' ? body : JSON.stringify(body, null, 2);
}

function sameRuleSet(stored: string, wanted: string): boolean {
  const errors: ParseError[] = [];
  const left: unknown = parseJsonc(stored, errors);
  const right: unknown = parseJsonc(wanted, errors);
  return errors.length === 0 ? canonical(left) === canonical(right) : stored === wanted;
}

function failureMessage(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

async function step<T>(where: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw new ConfigFileError(`${where}: ${failureMessage(error)}`);
  }
}

interface PlayFabReply {
  code: number;
  data?: Record<string, unknown>;
  error?: string;
  errorCode?: number;
  errorMessage?: string;
}

async function playFab(target: PlayFabTarget, operation: string, request: object): Promise<PlayFabReply> {
  const response = await fetch(`${target.url.replace(/\/$/, '')}/Match/${operation}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-SecretKey': target.secretKey },
    body: JSON.stringify(request),
  });
  return (await response.json()) as PlayFabReply;
}

function playFabError(reply: PlayFabReply): Error {
  const error = new Error(reply.errorMessage ?? `HTTP ${reply.code}`);
  error.name = `${reply.error ?? 'PlayFabError'} (${reply.errorCode ?? reply.code})`;
  return error;
}

/**
 * Applies the file: first validates every rule set (nothing is written if one is invalid),
 * then rule sets, configurations and queues in that order, each only when it differs.
 */
export async function applyMatchmakingConfig(
  file: MatchmakingConfigFile,
  gamelift: GameLiftClient,
  playfabTarget: PlayFabTarget,
): Promise<AppliedEntry[]> {
  const applied: AppliedEntry[] = [];
  for (const [index, ruleSet] of file.ruleSets.entries()) {
    await step(`ruleSets[${index}] (${ruleSet.Name})`, () =>
      gamelift.send(new ValidateMatchmakingRuleSetCommand({ RuleSetBody: ruleSetText(ruleSet.RuleSetBody) })),
    );
  }

  for (const [index, ruleSet] of file.ruleSets.entries()) {
    const where = `ruleSets[${index}] (${ruleSet.Name})`;
    const body = ruleSetText(ruleSet.RuleSetBody);
    const stored = await step(where, async () => {
      try {
        const described = await gamelift.send(
          new DescribeMatchmakingRuleSetsCommand({ Names: [ruleSet.Name] }),
        );
        return described.RuleSets?.[0]?.RuleSetBody;
      } catch (error) {
        if (error instanceof NotFoundException) return undefined;
        throw error;
      }
    });
    if (stored !== undefined) {
      if (!sameRuleSet(stored, body))
        throw new ConfigFileError(
          `${where}: a rule set of this name exists with another body; rule sets can't be changed, so give the new body a new name`,
        );
      applied.push({ kind: 'rule set', name: ruleSet.Name, outcome: 'unchanged' });
      continue;
    }
    await step(where, () =>
      gamelift.send(new CreateMatchmakingRuleSetCommand({ Name: ruleSet.Name, RuleSetBody: body })),
    );
    applied.push({ kind: 'rule set', name: ruleSet.Name, outcome: 'created' });
  }

  for (const [index, entry] of file.configurations.entries()) {
    const where = `configurations[${index}] (${entry.Name})`;
    const wanted = entry as unknown as CreateMatchmakingConfigurationCommandInput;
    const [existing] = await step(where, async () => {
      const described = await gamelift.send(
        new DescribeMatchmakingConfigurationsCommand({ Names: [entry.Name] }),
      );
      return described.Configurations ?? [];
    });
    if (existing === undefined) {
      await step(where, () => gamelift.send(new CreateMatchmakingConfigurationCommand(wanted)));
      applied.push({ kind: 'configuration', name: entry.Name, outcome: 'created' });
      continue;
    }
    // Compare only what the file says; Tags are set at creation and not described.
    const { Tags: _tags, ...settings } = wanted;
    const current = existing as unknown as Record<string, unknown>;
    const differs = Object.entries(settings).some(
      ([key, value]) => canonical(current[key]) !== canonical(value),
    );
    if (!differs) {
      applied.push({ kind: 'configuration', name: entry.Name, outcome: 'unchanged' });
      continue;
    }
    await step(where, () => gamelift.send(new UpdateMatchmakingConfigurationCommand(settings)));
    applied.push({ kind: 'configuration', name: entry.Name, outcome: 'updated' });
  }

  for (const [index, queue] of file.queues.entries()) {
    const where = `queues[${index}] (${queue.Name})`;
    const current = await playFab(playfabTarget, 'GetMatchmakingQueue', { QueueName: queue.Name });
    if (current.code !== 200 && current.errorCode !== 2016)
      throw new ConfigFileError(`${where}: ${failureMessage(playFabError(current))}`);
    const stored = current.code === 200 ? current.data?.MatchmakingQueue : undefined;
    if (stored !== undefined && canonical(stored) === canonical(queue)) {
      applied.push({ kind: 'queue', name: queue.Name, outcome: 'unchanged' });
      continue;
    }
    const reply = await playFab(playfabTarget, 'SetMatchmakingQueue', { MatchmakingQueue: queue });
    if (reply.code !== 200) throw new ConfigFileError(`${where}: ${failureMessage(playFabError(reply))}`);
    applied.push({ kind: 'queue', name: queue.Name, outcome: stored === undefined ? 'created' : 'updated' });
  }
  return applied;
}

export function describeApplied(entries: readonly AppliedEntry[]): string {
  if (entries.length === 0) return 'nothing to apply';
  return entries.map((entry) => `${entry.kind} ${entry.name}: ${entry.outcome}`).join('\n');
}

/** The project's configuration file, loaded by `npm start` and `npm run apply` unless told otherwise. */
export const DEFAULT_MATCHMAKING_CONFIG = join(projectRoot, 'lib', 'matchmaking.json');
