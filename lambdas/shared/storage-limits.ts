/**
 * What one DynamoDB item can hold, as limits both dialects check before anything is written
 * (issue 13: values past them reached the marshaller or DynamoDB and came back as 500s).
 * Every limit here is named in the README's limits table.
 */

/**
 * Numbers slotfill stores: the safe-integer range of a JavaScript number (the DocumentClient
 * refuses larger ones), and 0 or at least 1e-130 in magnitude (DynamoDB's smallest number).
 */
export const STORABLE_NUMBER = { maxMagnitude: Number.MAX_SAFE_INTEGER, minMagnitude: 1e-130 } as const;

export function isStorableNumber(value: number): boolean {
  const magnitude = Math.abs(value);
  return (
    Number.isFinite(value) &&
    magnitude <= STORABLE_NUMBER.maxMagnitude &&
    (magnitude === 0 || magnitude >= STORABLE_NUMBER.minMagnitude)
  );
}

/** How a refused number is explained, in both dialects. */
export const STORABLE_NUMBER_RULE =
  'a number from -(2^53 - 1) to 2^53 - 1 that is 0 or at least 1e-130 in magnitude';

/** Ids that become part of a key (player, entity, invitee ids): DynamoDB's sort-key size. */
export const MAX_KEY_BYTES = 1024;
/** Ticket and match ids a caller names: the longest id slotfill or FlexMatch ever issues. */
export const MAX_TICKET_ID_LENGTH = 128;

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Levels of nesting of a player's JSON attributes (PlayFab DataObject) and of rule-set JSON. */
export const MAX_JSON_DEPTH = 32;
/** Levels of nesting in one rule expression (parentheses and brackets). */
export const MAX_EXPRESSION_DEPTH = 32;

/**
 * One player's data as stored (attributes, latencies, team): a full match of such players still
 * fits the match's items. A ticket's players together: a ticket is one item of at most 400 KB.
 */
export const MAX_PLAYER_BYTES = 8 * 1024;
export const MAX_TICKET_PLAYERS_BYTES = 128 * 1024;

/** Whether a parsed JSON value nests deeper than `maxDepth` (checked without recursion). */
export function nestsDeeperThan(value: unknown, maxDepth: number): boolean {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth + 1 > maxDepth) return true;
    const children = Array.isArray(next.value) ? next.value : Object.values(next.value);
    for (const child of children) pending.push({ value: child, depth: next.depth + 1 });
  }
  return false;
}

export type JsonProblem = { kind: 'depth' } | { kind: 'number'; value: number };

/**
 * The first reason a parsed JSON value can't be stored: nesting past `maxDepth`, or a number
 * outside STORABLE_NUMBER. Walks without recursion, so any depth is inspected safely.
 */
export function jsonProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): JsonProblem | undefined {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (typeof next.value === 'number') {
      if (!isStorableNumber(next.value)) return { kind: 'number', value: next.value };
      continue;
    }
    if (typeof next.value !== 'object' || next.value === null) continue;
    const depth = next.depth + 1;
    if (depth > maxDepth) return { kind: 'depth' };
    const children = Array.isArray(next.value) ? next.value : Object.values(next.value);
    for (const child of children) pending.push({ value: child, depth });
  }
  return undefined;
}

/**
 * The deepest nesting of `[`/`{` (and `(` when `parentheses`) in a text, outside JSON string
 * literals: read before a recursive parser sees the text, so no text can overflow its stack.
 */
export function textNestingDepth(text: string, parentheses = false): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index++;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') inString = true;
    else if (char === '[' || char === '{' || (parentheses && char === '(')) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (char === ']' || char === '}' || (parentheses && char === ')')) depth = Math.max(0, depth - 1);
  }
  return deepest;
}
