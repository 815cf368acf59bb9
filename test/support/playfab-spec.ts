import { readFileSync } from 'node:fs';
import { sharedPath } from './shared';

/**
 * The official PlayFab Multiplayer API spec (../shared/specs/playfab-multiplayer.api.json), read
 * as test data: the `/Match/*` calls, their datatypes and the error table.
 */
export const PLAYFAB_SPEC_PARTS = ['specs', 'playfab-multiplayer.api.json'];

export interface SpecProperty {
  name: string;
  description?: string;
  jsontype: string;
  actualtype: string;
  collection?: 'array' | 'map';
  optional?: boolean;
  isclass?: boolean;
  isenum?: boolean;
}

export interface SpecDatatype {
  name: string;
  description?: string;
  properties?: SpecProperty[];
  isenum?: boolean;
  enumvalues?: { name: string }[];
}

export interface SpecCall {
  name: string;
  url: string;
  request: string;
  result: string;
  requestExample?: string;
  resultExample?: string;
  errors?: string[];
}

export interface PlayFabSpec {
  datatypes: Record<string, SpecDatatype>;
  calls: SpecCall[];
  errors: Record<string, { id: number; name: string }>;
  errorList: string[];
}

let cached: PlayFabSpec | undefined;

/** The spec, read once; throws when ../shared is absent (guard suites with describeWithShared). */
export function loadPlayFabSpec(path = sharedPath(...PLAYFAB_SPEC_PARTS)): PlayFabSpec {
  if (cached !== undefined) return cached;
  if (path === undefined)
    throw new Error(`the PlayFab spec is absent (../shared/${PLAYFAB_SPEC_PARTS.join('/')})`);
  cached = JSON.parse(readFileSync(path, 'utf8')) as PlayFabSpec;
  return cached;
}

export function matchCalls(spec: PlayFabSpec): SpecCall[] {
  return spec.calls.filter((call) => call.url.startsWith('/Match/'));
}

export function datatype(spec: PlayFabSpec, name: string): SpecDatatype {
  const found = spec.datatypes[name];
  if (found === undefined) throw new Error(`the spec has no datatype ${name}`);
  return found;
}

/** Every class datatype reachable from the roots (enums excluded), roots first. */
export function reachableDatatypes(spec: PlayFabSpec, roots: readonly string[]): string[] {
  const seen = new Set<string>();
  const order: string[] = [];
  const visit = (name: string) => {
    const type = spec.datatypes[name];
    if (type === undefined || type.isenum || seen.has(name)) return;
    seen.add(name);
    order.push(name);
    for (const property of type.properties ?? []) visit(property.actualtype);
  };
  for (const root of roots) visit(root);
  return order;
}

const INTEGER_TYPES = new Set(['int32', 'uint32', 'int64', 'uint64', 'int16', 'uint16']);

/**
 * Values the spec's types allow but PlayFab's documented limits (enforced by our schemas) don't,
 * keyed `Datatype.Property`: the generator uses these instead of its defaults.
 */
const GENERATED_OVERRIDES: Readonly<Record<string, unknown>> = {
  'MatchmakingQueueConfig.MinMatchSize': 2,
  'MatchmakingQueueConfig.MaxMatchSize': 4,
  'SubscribeToMatchResourceRequest.Type': 'MatchTicketStatusChange',
  'UnsubscribeFromMatchResourceRequest.Type': 'MatchTicketStatusChange',
};

/** One valid leaf value for a spec property (before collections). */
function leafValue(spec: PlayFabSpec, owner: string, property: SpecProperty, depth: number): unknown {
  const override = GENERATED_OVERRIDES[`${owner}.${property.name}`];
  if (override !== undefined) return override;
  const type = spec.datatypes[property.actualtype];
  if (type?.isenum) return type.enumvalues?.[0]?.name;
  if (type !== undefined) return exampleFor(spec, property.actualtype, depth + 1);
  if (property.actualtype === 'object') return { skill: 10 };
  if (property.actualtype === 'DateTime') return '2026-01-01T00:00:00Z';
  switch (property.jsontype) {
    case 'String':
      return 'abc';
    case 'Boolean':
      return true;
    case 'Number':
      return INTEGER_TYPES.has(property.actualtype) ? 1 : 1.5;
    default:
      throw new Error(
        `no generator for ${owner}.${property.name} (${property.jsontype}/${property.actualtype})`,
      );
  }
}

export function valueFor(spec: PlayFabSpec, owner: string, property: SpecProperty, depth = 0): unknown {
  const leaf = leafValue(spec, owner, property, depth);
  if (property.collection === 'array') return [leaf];
  if (property.collection === 'map') return { key: leaf };
  return leaf;
}

/** A value of a datatype with every property set (optional ones too), built from the spec alone. */
export function exampleFor(spec: PlayFabSpec, name: string, depth = 0): Record<string, unknown> {
  if (depth > 8) throw new Error(`datatype nesting too deep at ${name}`);
  const example: Record<string, unknown> = {};
  for (const property of datatype(spec, name).properties ?? []) {
    example[property.name] = valueFor(spec, name, property, depth);
  }
  return example;
}

/** A value of the wrong JSON type for a property (a number for a string, and so on). */
export function wrongTypeFor(property: SpecProperty): unknown {
  if (property.collection !== undefined) return 'not-a-collection';
  if (property.actualtype === 'object' || property.isclass) return 'not-an-object';
  switch (property.jsontype) {
    case 'String':
      return 12345;
    default:
      return 'not-a-value';
  }
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function checkLeaf(
  spec: PlayFabSpec,
  property: SpecProperty,
  value: unknown,
  path: string,
  problems: string[],
): void {
  const type = spec.datatypes[property.actualtype];
  if (type?.isenum) {
    const allowed = (type.enumvalues ?? []).map((entry) => entry.name);
    if (typeof value !== 'string' || !allowed.includes(value)) {
      problems.push(`${path}: ${JSON.stringify(value)} is not one of ${allowed.join(', ')}`);
    }
    return;
  }
  if (type !== undefined) {
    problems.push(...specProblems(spec, property.actualtype, value, path));
    return;
  }
  if (property.actualtype === 'object') {
    if (describeType(value) !== 'object')
      problems.push(`${path}: expected a JSON object, got ${describeType(value)}`);
    return;
  }
  if (property.actualtype === 'DateTime') {
    if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
      problems.push(`${path}: expected a date-time string, got ${JSON.stringify(value)}`);
    }
    return;
  }
  switch (property.jsontype) {
    case 'String':
      if (typeof value !== 'string') problems.push(`${path}: expected a string, got ${describeType(value)}`);
      return;
    case 'Boolean':
      if (typeof value !== 'boolean')
        problems.push(`${path}: expected a boolean, got ${describeType(value)}`);
      return;
    case 'Number':
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        problems.push(`${path}: expected a number, got ${describeType(value)}`);
      } else if (INTEGER_TYPES.has(property.actualtype) && !Number.isInteger(value)) {
        problems.push(`${path}: expected an integer (${property.actualtype}), got ${value}`);
      } else if (property.actualtype.startsWith('uint') && value < 0) {
        problems.push(`${path}: expected an unsigned integer, got ${value}`);
      }
      return;
    default:
      problems.push(`${path}: the spec type ${property.jsontype}/${property.actualtype} is not understood`);
  }
}

/** Problems of a value against a spec datatype: unknown or missing properties, wrong types. */
export function specProblems(spec: PlayFabSpec, name: string, value: unknown, path = name): string[] {
  const problems: string[] = [];
  if (describeType(value) !== 'object')
    return [`${path}: expected a ${name} object, got ${describeType(value)}`];
  const record = value as Record<string, unknown>;
  const properties = datatype(spec, name).properties ?? [];
  for (const key of Object.keys(record)) {
    if (!properties.some((property) => property.name === key))
      problems.push(`${path}.${key}: not a property of ${name}`);
  }
  for (const property of properties) {
    const member = record[property.name];
    const memberPath = `${path}.${property.name}`;
    if (member === undefined || member === null) {
      if (!property.optional) problems.push(`${memberPath}: required by ${name}, missing`);
      continue;
    }
    if (property.collection === 'array') {
      if (!Array.isArray(member))
        problems.push(`${memberPath}: expected an array, got ${describeType(member)}`);
      else
        member.forEach((item, index) => {
          checkLeaf(spec, property, item, `${memberPath}[${index}]`, problems);
        });
    } else if (property.collection === 'map') {
      if (describeType(member) !== 'object')
        problems.push(`${memberPath}: expected a map, got ${describeType(member)}`);
      else {
        for (const [key, item] of Object.entries(member as Record<string, unknown>)) {
          checkLeaf(spec, property, item, `${memberPath}.${key}`, problems);
        }
      }
    } else {
      checkLeaf(spec, property, member, memberPath, problems);
    }
  }
  return problems;
}

/**
 * Checks a response object (an envelope's `data`) against a spec datatype: property names,
 * required members, JSON types, enum values, nested datatypes. Returns the problems, empty when
 * the value conforms. Loads the spec from ../shared (throws when absent).
 */
export function validateAgainstSpec(datatypeName: string, value: unknown): string[] {
  return specProblems(loadPlayFabSpec(), datatypeName, value);
}
