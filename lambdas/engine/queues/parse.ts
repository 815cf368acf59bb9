/**
 * Reading a queue configuration from a request: the schema's field-by-field checks (zod, in
 * definition.ts), then compile.ts's checks across fields. Apart from compile.ts because only
 * the API needs it: the matchmaker compiles queues that were checked when they were stored, and
 * importing the schemas there would put zod into its bundle and its cold start.
 */
import { childPath } from '../rules/problems';
import { type QueueProblem, validateQueueConfig } from './compile';
import { type MatchmakingQueueConfig, queueSchemas } from './definition';

export type ParsedQueueConfig =
  | { ok: true; config: MatchmakingQueueConfig }
  | { ok: false; problems: QueueProblem[] };

/** Schema and semantic validation of a raw queue object in one step (the schema's problems first). */
export function parseQueueConfig(raw: unknown, basePath = 'MatchmakingQueue'): ParsedQueueConfig {
  const parsed = queueSchemas().MatchmakingQueueConfigSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => ({
        path: issue.path.reduce<string>(
          (path, part) => childPath(path, typeof part === 'number' ? part : String(part)),
          basePath,
        ),
        message: issue.message,
      })),
    };
  }
  const problems = validateQueueConfig(parsed.data, basePath);
  return problems.length === 0 ? { ok: true, config: parsed.data } : { ok: false, problems };
}
