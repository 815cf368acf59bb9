/**
 * Translation between PlayFab ticket members and the engine's Player.
 *
 * How a member's attributes reach the engine:
 * - PlayFab members carry one free-form JSON object, `Attributes.DataObject` (or the same JSON
 *   as text in `EscapedDataObject`). Queue rules point into it with `Attribute.Path`
 *   (`skill`, `nestExample.exp`, or JSONPath `$.skill`). The engine wants flat, typed
 *   attributes, so the queue program lists every attribute its rules read (PlayFabQueueTraits
 *   .attributes: key, source, path, engine type) and memberToPlayer extracts exactly those.
 * - Keys: a User attribute is keyed by its normalised path (`$.a.b` and `a.b` are both `a.b`);
 *   a PlayerEntity attribute by `PlayerEntity:` + that path, its first segment being the name
 *   of the entity object (PlayFab's SetObjects ObjectName). slotfill stores no entity objects:
 *   the caller passes them in `entityObjects` when it has them; otherwise they are missing
 *   (and the rule's AttributeNotSpecifiedBehavior applies).
 * - Types: DifferenceRule, MatchTotalRule and TeamDifferenceRule read numbers (`number`),
 *   StringEqualityRule a string (`string`), SetIntersectionRule a list of strings
 *   (`string_list`). A value of another JSON type counts as missing.
 * - Latency: the RegionSelectionRule's Path names an array `[{region, latency}]` (PlayFab docs,
 *   "Specifying attributes with your tickets"); it becomes Player.latencyInMs (region → ms),
 *   which the region rule reads, and also a `string_number_map` attribute under its key.
 * - Backfill tickets have no latencies: they carry ServerDetails.Region. Their members get
 *   latencyInMs `{[Region]: 0}`, so the only region a match with them can use is the server's,
 *   and every joining player needs an acceptable latency to it (seed 004). A backfill ticket
 *   without a Region leaves latencyInMs empty and the region rule rejects it (a region-rule
 *   queue needs it, like PlayFab's). Members also carry TeamId → Player.team.
 * - Reserved attributes, whose keys start with `#` (no rule path can): `#DataObject` holds the
 *   member's whole DataObject as JSON text so playerToMember can give GetMatch
 *   (ReturnMemberAttributes) exactly what was sent; `#EntityType` the Entity.Type;
 *   `#Backfill` (number 1) marks members of backfill tickets for rules PlayFab ignores with
 *   backfill (TeamTicketSizeSimilarityRule).
 */
import type { AttributeValue, Player } from '../../engine/model';
import { type AttributeBinding, RESERVED_ATTRIBUTE } from '../../engine/queues/attributes';
import type { PlayFabQueueProgram } from '../../engine/queues/compile';
import { failure } from '../../shared/errors';
import { jsonProblem, MAX_JSON_DEPTH, STORABLE_NUMBER_RULE } from '../../shared/storage-limits';
import type {
  EntityKey,
  MatchmakingPlayer,
  MatchmakingPlayerAttributes,
  MatchmakingPlayerWithTeamAssignment,
} from './schemas';

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function resolve(root: unknown, segments: readonly string[]): unknown {
  let current = root;
  for (const segment of segments) {
    if (Array.isArray(current) && /^\d+$/.test(segment)) current = current[Number(segment)];
    else if (isJsonObject(current) && Object.hasOwn(current, segment)) current = current[segment];
    else return undefined;
  }
  return current;
}

/** `[{region, latency}]` (either capitalisation) → region → ms; undefined when it isn't one. */
export function latencyMap(value: unknown): Record<string, number> | undefined {
  if (!Array.isArray(value)) return undefined;
  const map: Record<string, number> = {};
  for (const entry of value) {
    if (!isJsonObject(entry)) return undefined;
    const region = entry.region ?? entry.Region;
    const latency = entry.latency ?? entry.Latency;
    if (typeof region !== 'string' || typeof latency !== 'number' || !Number.isFinite(latency))
      return undefined;
    map[region] = latency;
  }
  return map;
}

function toAttributeValue(value: unknown, binding: AttributeBinding): AttributeValue | undefined {
  if (binding.latencies) {
    const map = latencyMap(value);
    return map === undefined ? undefined : { kind: 'string_number_map', value: map };
  }
  switch (binding.type) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? { kind: 'number', value } : undefined;
    case 'string':
      return typeof value === 'string' ? { kind: 'string', value } : undefined;
    case 'string_list':
      return Array.isArray(value) && value.every((item) => typeof item === 'string')
        ? { kind: 'string_list', value: [...value] }
        : undefined;
    default:
      return undefined;
  }
}

/** The member's DataObject, from DataObject or EscapedDataObject; throws 2002 on bad JSON. */
export function memberDataObject(
  attributes: MatchmakingPlayerAttributes | undefined,
): Record<string, unknown> {
  if (attributes === undefined) return {};
  if (attributes.DataObject !== undefined) return attributes.DataObject;
  if (attributes.EscapedDataObject === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(attributes.EscapedDataObject);
  } catch {
    parsed = undefined;
  }
  if (!isJsonObject(parsed)) {
    throw failure('InvalidRequest', 'InvalidPlayerAttributes', 'EscapedDataObject must hold a JSON object.');
  }
  // The same checks DataObject gets from its schema, now that the text is an object.
  const problem = jsonProblem(parsed);
  if (problem !== undefined) {
    throw failure(
      'InvalidRequest',
      'InvalidPlayerAttributes',
      problem.kind === 'depth'
        ? `EscapedDataObject must nest at most ${MAX_JSON_DEPTH} levels of objects and arrays.`
        : `EscapedDataObject must hold only numbers that are ${STORABLE_NUMBER_RULE} (found ${problem.value}).`,
    );
  }
  return parsed;
}

export interface MemberToPlayerOptions {
  /** Set for members of a backfill ticket: marks them, and places them in the server's region. */
  backfill?: { serverRegion?: string };
  /** The player's entity objects by ObjectName, for PlayerEntity-sourced attributes. */
  entityObjects?: Readonly<Record<string, unknown>>;
}

/** A ticket member → engine Player, extracting the attributes the queue's rules read. */
export function memberToPlayer(
  member: MatchmakingPlayer | MatchmakingPlayerWithTeamAssignment,
  bindings: readonly AttributeBinding[],
  options: MemberToPlayerOptions = {},
): Player {
  const dataObject = memberDataObject(member.Attributes);
  const attributes: Record<string, AttributeValue> = {};
  let latencyInMs: Record<string, number> = {};
  for (const binding of bindings) {
    const root = binding.source === 'User' ? dataObject : options.entityObjects;
    const value = toAttributeValue(resolve(root, binding.segments), binding);
    if (value === undefined) continue;
    attributes[binding.key] = value;
    if (binding.latencies && value.kind === 'string_number_map') latencyInMs = { ...value.value };
  }
  if (member.Attributes !== undefined) {
    attributes[RESERVED_ATTRIBUTE.dataObject] = { kind: 'string', value: JSON.stringify(dataObject) };
  }
  if (member.Entity.Type !== undefined) {
    attributes[RESERVED_ATTRIBUTE.entityType] = { kind: 'string', value: member.Entity.Type };
  }
  if (options.backfill !== undefined) {
    attributes[RESERVED_ATTRIBUTE.backfill] = { kind: 'number', value: 1 };
    const region = options.backfill.serverRegion;
    latencyInMs = region === undefined ? {} : { [region]: 0 };
  }
  const player: Player = { playerId: member.Entity.Id, attributes, latencyInMs };
  if ('TeamId' in member && member.TeamId !== undefined) player.team = member.TeamId;
  return player;
}

export interface PlayerToMemberOptions {
  /** GetMatch's ReturnMemberAttributes: include Attributes at all. */
  includeAttributes?: boolean;
  /** EscapeObject: attributes as EscapedDataObject text instead of a DataObject. */
  escapeObject?: boolean;
  /** The team the match placed the player on (GetMatch); defaults to Player.team. */
  teamId?: string;
}

/** Engine Player → member as GetMatch / GetServerBackfillTicket return it. */
export function playerToMember(
  player: Player,
  options: PlayerToMemberOptions = {},
): MatchmakingPlayerWithTeamAssignment {
  const entity: EntityKey = { Id: player.playerId };
  const entityType = player.attributes[RESERVED_ATTRIBUTE.entityType];
  if (entityType?.kind === 'string') {
    entity.Type = entityType.value;
    entity.TypeString = entityType.value;
  }
  const member: MatchmakingPlayerWithTeamAssignment = { Entity: entity };
  const stored = player.attributes[RESERVED_ATTRIBUTE.dataObject];
  if (options.includeAttributes === true && stored?.kind === 'string') {
    member.Attributes = options.escapeObject
      ? { EscapedDataObject: stored.value }
      : { DataObject: JSON.parse(stored.value) as Record<string, unknown> };
  }
  const team = options.teamId ?? player.team;
  if (team !== undefined) member.TeamId = team;
  return member;
}

/** A ticket member → engine Player, reading the attributes this queue's rules use. */
export function toEnginePlayer(
  member: MatchmakingPlayer | MatchmakingPlayerWithTeamAssignment,
  queue: PlayFabQueueProgram,
  options: MemberToPlayerOptions = {},
): Player {
  return memberToPlayer(member, queue.playfab.attributes, options);
}
