/**
 * What a simulation is fed: an arrival model (how many tickets arrive over time and what their
 * players look like) or a recorded ticket log, plus how games behave once formed. Validated
 * with zod so a designer's typo in a model file gets a path and a reason, not a NaN plot.
 */
import * as z from 'zod';
import type { AttributeValue, Player } from '../model';

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

/** How one player attribute is drawn. Numbers, strings and string lists cover FlexMatch and PlayFab rules. */
export const AttributeDistributionSchema = z.union([
  z.strictObject({ normal: z.strictObject({ mean: finite, deviation: finite.min(0) }) }),
  z.strictObject({ uniform: z.strictObject({ min: finite, max: finite }) }),
  z.strictObject({
    oneOf: z.array(z.string().min(1)).min(1),
    weights: z.array(finite.positive()).optional(),
  }),
  /** A string list: each value is included independently with this chance. */
  z.strictObject({ someOf: z.array(z.string().min(1)).min(1), chance: finite.min(0).max(1) }),
]);
export type AttributeDistribution = z.infer<typeof AttributeDistributionSchema>;

/** Arrival rate: a constant, or steps `{fromSecond, perSecond}` (the last step reached applies). */
export const RateSchema = z.union([
  finite.min(0),
  z
    .array(z.strictObject({ fromSecond: finite.min(0), perSecond: finite.min(0) }))
    .min(1)
    .refine(
      (steps) =>
        steps.every((step, index) => index === 0 || step.fromSecond > (steps[index - 1]?.fromSecond ?? 0)),
      'steps must be in increasing fromSecond order',
    ),
]);

export const SimulationModelSchema = z.strictObject({
  /** Virtual seconds to simulate. */
  seconds: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 3600)
    .default(60),
  /** Tickets (parties) arriving per second. */
  rate: RateSchema.default(100),
  /** Party sizes and how often each comes. */
  parties: z
    .array(z.strictObject({ size: z.number().int().min(1).max(100), weight: finite.positive() }))
    .min(1)
    .default([{ size: 1, weight: 1 }]),
  attributes: z
    .record(z.string().min(1), AttributeDistributionSchema)
    .default({ skill: { normal: { mean: 1500, deviation: 300 } } }),
  /**
   * Party members share their party's draws (friends play at a similar level and pick the same
   * mode); each member's numbers then vary around the party's by this standard deviation.
   */
  partyDeviation: finite.min(0).default(50),
  /** Region → latency distribution in ms (drawn per player, clamped to at least 1 ms). */
  latency: z
    .record(z.string().min(1), z.strictObject({ mean: finite.min(0), deviation: finite.min(0) }))
    .default({}),
  /** RequestTimeoutSeconds / GiveUpAfterSeconds of every ticket. */
  timeoutSeconds: z.number().int().min(1).max(43_200).default(120),
  /** How long a formed game runs. */
  gameSeconds: z.number().int().min(1).default(600),
  /** Chance that a connected player leaves a running game within a minute (then the game asks for backfill). */
  leaveChancePerMinute: finite.min(0).max(1).default(0.05),
  /** Whether games that lose players (or start short) request backfill. */
  backfill: z.boolean().default(true),
  /** Seconds between samples of why waiting tickets are not matched. */
  blockSampleEverySeconds: z.number().int().min(1).default(5),
  /** Oldest waiting tickets examined per sample. */
  blockSampleSize: z.number().int().min(1).max(1000).default(20),
  /** Number attribute used for skill spread and team gap; default: the queue's balance or first number attribute. */
  skillAttribute: z.string().min(1).optional(),
  seed: z.number().int().default(1),
});
export type SimulationModel = z.infer<typeof SimulationModelSchema>;
export type SimulationModelInput = z.input<typeof SimulationModelSchema>;

/** One recorded arrival, as a JSONL line: `{"at": seconds, "players": [...]}`. */
const RecordedValueSchema = z.union([
  finite,
  z.string(),
  z.array(z.string()),
  z.record(z.string(), finite),
  // FlexMatch's AttributeValue shape, so logged StartMatchmaking players can be replayed as is.
  z.strictObject({ N: finite }),
  z.strictObject({ S: z.string() }),
  z.strictObject({ SL: z.array(z.string()) }),
  z.strictObject({ SDM: z.record(z.string(), finite) }),
]);

export const RecordedArrivalSchema = z.strictObject({
  at: finite.min(0),
  ticketId: z.string().min(1).optional(),
  players: z
    .array(
      z.strictObject({
        playerId: z.string().min(1),
        attributes: z.record(z.string(), RecordedValueSchema).default({}),
        latencyInMs: z.record(z.string(), finite.min(0)).default({}),
      }),
    )
    .min(1),
});
export type RecordedArrival = z.infer<typeof RecordedArrivalSchema>;

export class SimulationInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimulationInputError';
  }
}

function describeIssues(error: z.ZodError, prefix: string): string {
  return error.issues
    .map((issue) => `${[prefix, ...issue.path.map(String)].filter(Boolean).join('.')}: ${issue.message}`)
    .join('; ');
}

export function parseSimulationModel(raw: unknown): SimulationModel {
  const parsed = SimulationModelSchema.safeParse(raw ?? {});
  if (!parsed.success)
    throw new SimulationInputError(`invalid arrival model: ${describeIssues(parsed.error, 'model')}`);
  return parsed.data;
}

/** A JSONL ticket log → arrivals sorted by time; every bad line is reported with its number. */
export function parseTicketLog(text: string): RecordedArrival[] {
  const arrivals: RecordedArrival[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      problems.push(`line ${index + 1}: not JSON`);
      return;
    }
    const parsed = RecordedArrivalSchema.safeParse(json);
    if (parsed.success) arrivals.push(parsed.data);
    else problems.push(`line ${index + 1}: ${describeIssues(parsed.error, '')}`);
  });
  if (problems.length > 0) throw new SimulationInputError(`invalid ticket log: ${problems.join('; ')}`);
  return arrivals.sort((left, right) => left.at - right.at);
}

type RecordedValue = z.infer<typeof RecordedValueSchema>;

export function recordedValue(value: RecordedValue): AttributeValue {
  if (typeof value === 'number') return { kind: 'number', value };
  if (typeof value === 'string') return { kind: 'string', value };
  if (Array.isArray(value)) return { kind: 'string_list', value };
  if ('N' in value && typeof value.N === 'number') return { kind: 'number', value: value.N };
  if ('S' in value && typeof value.S === 'string') return { kind: 'string', value: value.S };
  if ('SL' in value && Array.isArray(value.SL)) return { kind: 'string_list', value: value.SL };
  if ('SDM' in value && typeof value.SDM === 'object') return { kind: 'string_number_map', value: value.SDM };
  return { kind: 'string_number_map', value: value as Record<string, number> };
}

export function recordedPlayers(arrival: RecordedArrival): Player[] {
  return arrival.players.map((player) => ({
    playerId: player.playerId,
    attributes: Object.fromEntries(
      Object.entries(player.attributes).map(([name, value]) => [name, recordedValue(value)]),
    ),
    latencyInMs: { ...player.latencyInMs },
  }));
}
