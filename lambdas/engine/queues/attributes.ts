/**
 * How a PlayFab queue's rules name player attributes: a source (User DataObject or a
 * PlayerEntity object) and a path inside it, flattened to one key of Player.attributes. The
 * compiler binds each rule to such a key; the dialect fills the keys from ticket members.
 */
import type { Player } from '../model';
import type { AttributeType } from '../rules/program';
import type { AttributeSource } from './definition';

export const RESERVED_ATTRIBUTE = {
  dataObject: '#DataObject',
  entityType: '#EntityType',
  backfill: '#Backfill',
} as const;

export const PLAYER_ENTITY_KEY_PREFIX = 'PlayerEntity:';

/** One attribute a queue's rules read. */
export interface AttributeBinding {
  /** Key in Player.attributes. */
  key: string;
  source: AttributeSource;
  /** Path segments inside the DataObject (User) or the entity objects (PlayerEntity). */
  segments: readonly string[];
  type: AttributeType;
  /** True for the region rule's latency list, which also fills Player.latencyInMs. */
  latencies: boolean;
}

export type PathParse = { ok: true; segments: string[] } | { ok: false; message: string };

/**
 * `skill`, `nest.exp`, `$.nest.exp`, `$['odd key'].x`, `list[0]` → segments. Array indexes
 * become their decimal text and are resolved against arrays.
 */
export function parseAttributePath(path: string): PathParse {
  let rest = path.trim();
  if (rest.startsWith('#')) return { ok: false, message: "must not start with '#'" };
  if (rest.startsWith('$')) rest = rest.slice(1);
  if (rest.startsWith('.')) rest = rest.slice(1);
  const segments: string[] = [];
  const token = /^(?:\.?([^.[\]'"]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\])/;
  while (rest.length > 0) {
    const match = token.exec(rest);
    if (match === null) return { ok: false, message: `can't read the path at "${rest}"` };
    const segment = match[1] ?? match[2] ?? match[3] ?? match[4] ?? '';
    if (segment === '') return { ok: false, message: 'has an empty segment' };
    segments.push(segment);
    rest = rest.slice(match[0].length);
  }
  if (segments.length === 0) return { ok: false, message: 'must name an attribute' };
  return { ok: true, segments };
}

export function attributeKey(source: AttributeSource, segments: readonly string[]): string {
  const path = segments.join('.');
  return source === 'PlayerEntity' ? `${PLAYER_ENTITY_KEY_PREFIX}${path}` : path;
}

export function isBackfillPlayer(player: Player): boolean {
  return Object.hasOwn(player.attributes, RESERVED_ATTRIBUTE.backfill);
}
