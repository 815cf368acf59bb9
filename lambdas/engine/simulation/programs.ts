/**
 * A simulation input file → the queue program the real matchmaker would run. The file is a
 * FlexMatch rule set (JSON, `//` comments allowed) or a PlayFab queue (a MatchmakingQueueConfig,
 * or a SetMatchmakingQueue request body holding one); each is validated with the engine's own
 * validators, so a rule set the API would refuse is refused here with the same problems.
 */
import { compileQueueConfig, formatQueueProblems } from '../queues/compile';
import { parseQueueConfig } from '../queues/parse';
import { compileRuleSetBody, parseRuleSetJson, type QueueProgram } from '../rules';
import { SimulationInputError } from './model';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Compiles a rule set or a queue; `fallbackName` names a rule set that has no `name`. */
export function programFromText(text: string, fallbackName: string): QueueProgram {
  const parsed = parseRuleSetJson(text);
  const json: unknown = parsed.ok ? parsed.value : undefined;
  if (isRecord(json) && ('MatchmakingQueue' in json || 'MinMatchSize' in json)) {
    const queue = 'MatchmakingQueue' in json ? json.MatchmakingQueue : json;
    const queueConfig = parseQueueConfig(queue);
    if (!queueConfig.ok)
      throw new SimulationInputError(`${fallbackName}: ${formatQueueProblems(queueConfig.problems)}`);
    return compileQueueConfig(queueConfig.config);
  }
  try {
    const program = compileRuleSetBody(text);
    return program.name ? program : { ...program, name: fallbackName };
  } catch (error) {
    throw new SimulationInputError(`${fallbackName}: ${(error as Error).message}`);
  }
}
