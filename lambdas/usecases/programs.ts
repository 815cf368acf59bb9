import { compileQueueConfig, type PlayFabQueueProgram } from '../engine/queues/compile';
import { compileRuleSetBody, type QueueProgram } from '../engine/rules';
import { SlotfillError } from '../shared/errors';
import type { ConfigurationRecord, RuleLanguage } from '../store/records';
import type { UseCaseContext } from './context';

/**
 * The two rule languages, side by side: a FlexMatch rule set (stored once, immutable) and a
 * PlayFab queue definition (carried by its configuration, replaceable). Both compile to the
 * engine's queue program, cached here once per process for both.
 */

/** Compiled programs: by rule set name (immutable), by queue configuration and version (replaceable). */
const programCache = new Map<string, QueueProgram>();

function cacheKey(configuration: ConfigurationRecord): string {
  const { rules } = configuration;
  return rules.language === 'ruleSet'
    ? `ruleSet#${rules.ruleSetName}`
    : `queue#${configuration.name}#${configuration.version}`;
}

export async function programOf(
  context: UseCaseContext,
  configuration: ConfigurationRecord,
): Promise<QueueProgram> {
  const key = cacheKey(configuration);
  const cached = programCache.get(key);
  if (cached) return cached;
  const { rules } = configuration;
  let program: QueueProgram;
  if (rules.language === 'queue') {
    program = compileQueueConfig(rules.queue);
  } else {
    const [ruleSet] = await context.store.getRuleSets([rules.ruleSetName]);
    if (!ruleSet) throw new SlotfillError('Internal', `Rule set '${rules.ruleSetName}' is missing.`);
    program = compileRuleSetBody(ruleSet.body);
  }
  programCache.set(key, program);
  return program;
}

export function isQueueProgram(program: QueueProgram): program is PlayFabQueueProgram {
  return program.dialect === 'playfab';
}

/**
 * Configurations of queues are named `pf:<queue name>`: ':' can't occur in FlexMatch names, so
 * a queue and a FlexMatch configuration never share a name, and a ticket's configuration name
 * tells which language its rules are in.
 */
const QUEUE_PREFIX = 'pf:';

export function queueConfigurationName(queueName: string): string {
  return `${QUEUE_PREFIX}${queueName}`;
}

export function queueNameOf(configurationName: string): string {
  return configurationName.startsWith(QUEUE_PREFIX)
    ? configurationName.slice(QUEUE_PREFIX.length)
    : configurationName;
}

export function languageOf(configurationName: string): RuleLanguage {
  return configurationName.startsWith(QUEUE_PREFIX) ? 'queue' : 'ruleSet';
}
