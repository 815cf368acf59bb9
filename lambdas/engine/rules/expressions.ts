import { MAX_EXPRESSION_DEPTH, textNestingDepth } from '../../shared/storage-limits';
import type { Player } from '../model';
import type {
  AttributeLeafValue,
  AttributeSpec,
  AttributeType,
  ContextPlayer,
  ExpressionEnvironment,
  MatchContext,
} from './program';

/**
 * FlexMatch property expressions: a tokenizer-free recursive-descent parser (the lexing is done
 * on demand, so the first error reported is the leftmost one), a static type pass, and a
 * compiler to closures that the evaluator calls once per candidate.
 *
 * Grammar:
 *   expression := FUNCTION '(' expression ')' | path
 *   path       := 'teams' '[' ( '*' | NAME { ',' NAME } ) ']' [ '.' 'players' [ '.' 'attributes' '[' NAME ']' | '[' 'playerId' ']' ] ]
 * `teams[red, blue]` selects a set of specific teams (a list, even when it names one team
 * with several slots); `teams[red]` alone is one team. The FlexMatch guide also spells the path
 * `team[red].players` and `team[*].players`, so `team` is accepted as the same keyword.
 * NAME is anything up to the closing bracket, because team and attribute names may contain
 * characters such as '-' (`monster-kills` in the published examples).
 */

export const FUNCTION_NAMES = [
  'avg',
  'min',
  'max',
  'median',
  'sum',
  'count',
  'stddev',
  'flatten',
  'set_intersection',
] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

export type PathSelection =
  | { kind: 'teams' }
  | { kind: 'players' }
  | { kind: 'playerId' }
  | { kind: 'attribute'; attribute: string; attributeColumn: number };

export type ExpressionNode =
  | { kind: 'call'; fn: FunctionName; argument: ExpressionNode; column: number }
  | {
      kind: 'path';
      team: string;
      wildcard: boolean;
      teamColumn: number;
      column: number;
      selection: PathSelection;
    };

export type ExpressionParseResult =
  | { ok: true; node: ExpressionNode }
  | { ok: false; column: number; message: string };

class SyntaxFailure {
  constructor(
    readonly column: number,
    readonly reason: string,
  ) {}
}

const IDENTIFIER_START = /[A-Za-z_]/;
const IDENTIFIER_PART = /[A-Za-z0-9_]/;
const NAME_STOP = new Set(['[', ']', '(', ')', ',']);

class ExpressionParser {
  private position = 0;

  constructor(private readonly text: string) {}

  parse(): ExpressionNode {
    const node = this.expression();
    this.skipWhitespace();
    if (this.position < this.text.length) {
      this.fail(`unexpected '${this.text.charAt(this.position)}' after the end of the expression`);
    }
    return node;
  }

  private expression(): ExpressionNode {
    this.skipWhitespace();
    const column = this.column();
    const identifier = this.readIdentifier();
    if (identifier === undefined) {
      return this.fail(
        this.position >= this.text.length
          ? "expected a function or 'teams'"
          : `expected a function or 'teams', found '${this.text.charAt(this.position)}'`,
      );
    }
    if (identifier === 'teams' || identifier === 'team') {
      return this.path(column);
    }
    if (!isFunctionName(identifier)) {
      return this.fail(
        `unknown function '${identifier}' (expected one of ${FUNCTION_NAMES.join(', ')} or 'teams')`,
        column,
      );
    }
    this.expect('(');
    const argument = this.expression();
    this.expect(')');
    return { kind: 'call', fn: identifier, argument, column };
  }

  private path(column: number): ExpressionNode {
    this.expect('[');
    this.skipWhitespace();
    const teamColumn = this.column();
    let team: string;
    let wildcard = false;
    if (this.text.charAt(this.position) === '*') {
      this.position++;
      team = '*';
      wildcard = true;
    } else {
      const names = [this.readName('a team name or *')];
      while (this.peek() === ',') {
        this.position++;
        names.push(this.readName('a team name'));
      }
      team = names.join(',');
    }
    this.expect(']');
    let selection: PathSelection = { kind: 'teams' };
    if (this.peek() === '.') {
      this.position++;
      this.expectWord('players');
      selection = { kind: 'players' };
      const next = this.peek();
      if (next === '.') {
        this.position++;
        this.expectWord('attributes');
        this.expect('[');
        this.skipWhitespace();
        const attributeColumn = this.column();
        const attribute = this.readName('an attribute name');
        this.expect(']');
        selection = { kind: 'attribute', attribute, attributeColumn };
      } else if (next === '[') {
        this.position++;
        this.skipWhitespace();
        const fieldColumn = this.column();
        const field = this.readName('playerId');
        if (field !== 'playerId') {
          this.fail(`only [playerId] may follow .players, found [${field}]`, fieldColumn);
        }
        this.expect(']');
        selection = { kind: 'playerId' };
      }
    }
    return { kind: 'path', team, wildcard, teamColumn, column, selection };
  }

  private expectWord(word: string): void {
    this.skipWhitespace();
    const column = this.column();
    const identifier = this.readIdentifier();
    if (identifier !== word) {
      this.fail(`expected '${word}'`, column);
    }
  }

  private expect(char: string): void {
    this.skipWhitespace();
    if (this.text.charAt(this.position) !== char) {
      this.fail(`expected '${char}'`);
    }
    this.position++;
  }

  private peek(): string {
    this.skipWhitespace();
    return this.text.charAt(this.position);
  }

  private readIdentifier(): string | undefined {
    const start = this.position;
    if (!IDENTIFIER_START.test(this.text.charAt(start))) {
      return undefined;
    }
    let end = start + 1;
    while (end < this.text.length && IDENTIFIER_PART.test(this.text.charAt(end))) {
      end++;
    }
    this.position = end;
    return this.text.slice(start, end);
  }

  private readName(what: string): string {
    this.skipWhitespace();
    const start = this.position;
    let end = start;
    while (end < this.text.length && !NAME_STOP.has(this.text.charAt(end))) {
      end++;
    }
    const name = this.text.slice(start, end).trim();
    if (name === '') {
      this.fail(`expected ${what}`);
    }
    this.position = start + this.text.slice(start, end).trimEnd().length;
    return name;
  }

  private skipWhitespace(): void {
    while (this.position < this.text.length && /\s/.test(this.text.charAt(this.position))) {
      this.position++;
    }
  }

  private column(): number {
    return this.position + 1;
  }

  private fail(reason: string, column = this.column()): never {
    throw new SyntaxFailure(column, reason);
  }
}

function isFunctionName(name: string): name is FunctionName {
  return (FUNCTION_NAMES as readonly string[]).includes(name);
}

/** Parses a property expression; errors read `at column 17: expected ']'`. */
export function parsePropertyExpression(text: string): ExpressionParseResult {
  // The parser recurses once per level: deeper text is refused before it can exhaust the stack.
  if (textNestingDepth(text, true) > MAX_EXPRESSION_DEPTH) {
    return {
      ok: false,
      column: 1,
      message: `at column 1: nests deeper than ${MAX_EXPRESSION_DEPTH} levels of parentheses and brackets`,
    };
  }
  try {
    return { ok: true, node: new ExpressionParser(text).parse() };
  } catch (error) {
    if (error instanceof SyntaxFailure) {
      return { ok: false, column: error.column, message: `at column ${error.column}: ${error.reason}` };
    }
    throw error;
  }
}

/** Heuristic for string-valued properties that may be either a literal or an expression. */
export function looksLikeExpression(text: string): boolean {
  return /^\s*(teams\s*\[|[A-Za-z_]+\s*\()/.test(text);
}

// ---------------------------------------------------------------------------------------------
// Static types

/** Leaves: attribute types, player ids ('string'), whole players, whole teams. */
export type LeafType = AttributeType | 'player' | 'team';

/** Nesting depth: 0 is a single leaf, 1 a list of leaves, 2 a list of lists (one per team). */
export interface ExpressionType {
  depth: number;
  leaf: LeafType;
}

export type TypeResult = { ok: true; type: ExpressionType } | { ok: false; message: string };

const NUMERIC_FUNCTIONS: ReadonlySet<FunctionName> = new Set([
  'avg',
  'min',
  'max',
  'median',
  'sum',
  'stddev',
]);

/** The team names a path selects (`teams[red, blue]` → red, blue); empty for `*`. */
export function teamNames(node: { wildcard: boolean; team: string }): string[] {
  return node.wildcard ? [] : node.team.split(',').map((name) => name.trim());
}

/** The slots a path selects, in team order. */
export function selectedSlots(
  node: { wildcard: boolean; team: string },
  environment: ExpressionEnvironment,
): readonly number[] {
  return node.wildcard
    ? Array.from({ length: environment.slotCount }, (_, index) => index)
    : teamNames(node).flatMap((name) => environment.teamSlots.get(name) ?? []);
}

function teamIsList(node: { wildcard: boolean; team: string }, environment: ExpressionEnvironment): boolean {
  const names = teamNames(node);
  return node.wildcard || names.length !== 1 || (environment.teamSlots.get(names[0]!)?.length ?? 0) !== 1;
}

/** Checks names and types: unknown teams and attributes, numeric functions on non-numbers. */
export function typeOfExpression(node: ExpressionNode, environment: ExpressionEnvironment): TypeResult {
  if (node.kind === 'path') {
    const unknown = teamNames(node).find((name) => name === '' || !environment.teamSlots.has(name));
    if (unknown !== undefined) {
      return { ok: false, message: `at column ${node.teamColumn}: unknown team '${unknown}'` };
    }
    const teamDepth = teamIsList(node, environment) ? 1 : 0;
    switch (node.selection.kind) {
      case 'teams':
        return { ok: true, type: { depth: teamDepth, leaf: 'team' } };
      case 'players':
        return { ok: true, type: { depth: teamDepth + 1, leaf: 'player' } };
      case 'playerId':
        return { ok: true, type: { depth: teamDepth + 1, leaf: 'string' } };
      case 'attribute': {
        const spec = environment.attributes.get(node.selection.attribute);
        if (spec === undefined) {
          return {
            ok: false,
            message: `at column ${node.selection.attributeColumn}: unknown player attribute '${node.selection.attribute}'`,
          };
        }
        return { ok: true, type: { depth: teamDepth + 1, leaf: spec.type } };
      }
    }
  }
  const inner = typeOfExpression(node.argument, environment);
  if (!inner.ok) {
    return inner;
  }
  const { depth, leaf } = inner.type;
  const reduced = Math.max(0, depth - 1);
  if (NUMERIC_FUNCTIONS.has(node.fn)) {
    if (leaf !== 'number') {
      return {
        ok: false,
        message: `at column ${node.column}: ${node.fn}() needs number values, got ${leaf} values`,
      };
    }
    return { ok: true, type: { depth: reduced, leaf: 'number' } };
  }
  switch (node.fn) {
    case 'count':
      return { ok: true, type: { depth: reduced, leaf: 'number' } };
    case 'flatten':
      return { ok: true, type: { depth: depth >= 2 ? depth - 1 : depth, leaf } };
    default:
      if (leaf !== 'string_list') {
        return {
          ok: false,
          message: `at column ${node.column}: set_intersection() needs string_list values, got ${leaf} values`,
        };
      }
      return { ok: true, type: { depth: reduced, leaf: 'string_list' } };
  }
}

// ---------------------------------------------------------------------------------------------
// Runtime values and compilation

/**
 * Runtime values are plain nested arrays; which arrays are lists and which are string_list
 * leaves is known from the static type, so no wrapper objects are allocated per value.
 */
export type ExpressionLeaf =
  | number
  | string
  | readonly string[]
  | Readonly<Record<string, number>>
  | ContextPlayer;
export type ExpressionValue = ExpressionLeaf | readonly ExpressionValue[];

export interface CompiledExpression {
  text: string;
  type: ExpressionType;
  evaluate(context: MatchContext): ExpressionValue;
}

export type NumericPartyAggregation = 'avg' | 'min' | 'max';
export type SetPartyAggregation = 'union' | 'intersection';

export interface PartyAggregation {
  numeric: NumericPartyAggregation;
  set: SetPartyAggregation;
}

export const DEFAULT_PARTY_AGGREGATION: PartyAggregation = { numeric: 'avg', set: 'union' };

const EMPTY_STRINGS: readonly string[] = Object.freeze([]);
const EMPTY_MAP: Readonly<Record<string, number>> = Object.freeze({});

function missingPlaceholder(type: AttributeType): AttributeLeafValue {
  switch (type) {
    case 'number':
      return Number.NaN;
    case 'string':
      return '';
    case 'string_list':
      return EMPTY_STRINGS;
    default:
      return EMPTY_MAP;
  }
}

/**
 * A player's own value for an attribute: the supplied one when it has the declared type, else
 * the default; with neither, notes the miss on the context (the rule then fails) and returns a
 * placeholder that cannot pass a numeric check (NaN).
 */
export function readOwnAttribute(
  player: Player,
  spec: AttributeSpec,
  context: MatchContext | undefined,
): AttributeLeafValue {
  const supplied = Object.hasOwn(player.attributes, spec.name) ? player.attributes[spec.name] : undefined;
  if (supplied !== undefined && supplied.kind === spec.type) {
    return supplied.value;
  }
  if (spec.defaultValue !== undefined) {
    return spec.defaultValue;
  }
  if (context !== undefined && context.missing === undefined) {
    context.missing = `player ${player.playerId} has no '${spec.name}' attribute and it has no default`;
  }
  return missingPlaceholder(spec.type);
}

export function aggregateNumbers(values: readonly number[], how: NumericPartyAggregation): number {
  if (values.length === 1) {
    return values[0] ?? Number.NaN;
  }
  let result = how === 'min' ? Number.POSITIVE_INFINITY : how === 'max' ? Number.NEGATIVE_INFINITY : 0;
  for (const value of values) {
    result =
      how === 'min' ? Math.min(result, value) : how === 'max' ? Math.max(result, value) : result + value;
  }
  return how === 'avg' ? result / values.length : result;
}

/** Party-aggregated number attribute for a group of players (a ticket's players). */
export function partyNumber(
  party: readonly Player[],
  spec: AttributeSpec,
  how: NumericPartyAggregation,
  context: MatchContext | undefined,
): number {
  if (party.length === 1) {
    const first = party[0];
    return first === undefined ? Number.NaN : (readOwnAttribute(first, spec, context) as number);
  }
  let result = how === 'min' ? Number.POSITIVE_INFINITY : how === 'max' ? Number.NEGATIVE_INFINITY : 0;
  for (const member of party) {
    const value = readOwnAttribute(member, spec, context) as number;
    result =
      how === 'min' ? Math.min(result, value) : how === 'max' ? Math.max(result, value) : result + value;
  }
  return how === 'avg' ? result / party.length : result;
}

function partyStringList(
  party: readonly Player[],
  spec: AttributeSpec,
  how: SetPartyAggregation,
  context: MatchContext,
): readonly string[] {
  let combined: Set<string> | undefined;
  for (const member of party) {
    const own = readOwnAttribute(member, spec, context) as readonly string[];
    if (combined === undefined) {
      combined = new Set(own);
    } else if (how === 'union') {
      for (const value of own) {
        combined.add(value);
      }
    } else {
      const ownSet = new Set(own);
      for (const value of combined) {
        if (!ownSet.has(value)) {
          combined.delete(value);
        }
      }
    }
  }
  return combined === undefined ? EMPTY_STRINGS : [...combined];
}

type LeafReader = (contextPlayer: ContextPlayer, context: MatchContext) => ExpressionLeaf;

function attributeReader(spec: AttributeSpec, party: PartyAggregation): LeafReader {
  if (spec.type === 'number') {
    return (contextPlayer, context) => {
      const members = context.parties[contextPlayer.partyIndex];
      if (members === undefined || members.length <= 1) {
        return readOwnAttribute(contextPlayer.player, spec, context) as number;
      }
      return partyNumber(members, spec, party.numeric, context);
    };
  }
  if (spec.type === 'string_list') {
    return (contextPlayer, context) => {
      const members = context.parties[contextPlayer.partyIndex];
      if (members === undefined || members.length <= 1) {
        return readOwnAttribute(contextPlayer.player, spec, context) as readonly string[];
      }
      return partyStringList(members, spec, party.set, context);
    };
  }
  // Strings and maps have no party aggregation in FlexMatch: each player keeps its own value.
  return (contextPlayer, context) => readOwnAttribute(contextPlayer.player, spec, context);
}

function compilePath(
  node: Extract<ExpressionNode, { kind: 'path' }>,
  environment: ExpressionEnvironment,
  party: PartyAggregation,
): (context: MatchContext) => ExpressionValue {
  const slots = selectedSlots(node, environment);
  const asList = teamIsList(node, environment);
  const firstSlot = slots[0] ?? 0;
  const selection = node.selection;
  let perSlot: (context: MatchContext, slot: number) => ExpressionValue;
  switch (selection.kind) {
    case 'teams':
      perSlot = (_context, slot) => slot;
      break;
    case 'players':
      perSlot = (context, slot) => context.slotPlayers[slot] ?? [];
      break;
    case 'playerId':
      perSlot = (context, slot) =>
        (context.slotPlayers[slot] ?? []).map((contextPlayer) => contextPlayer.player.playerId);
      break;
    case 'attribute': {
      const spec = environment.attributes.get(selection.attribute);
      if (spec === undefined) {
        throw new Error(`unknown attribute ${selection.attribute}: validate before compiling`);
      }
      const read = attributeReader(spec, party);
      perSlot = (context, slot) => {
        const players = context.slotPlayers[slot] ?? [];
        const values = new Array<ExpressionLeaf>(players.length);
        for (let index = 0; index < players.length; index++) {
          values[index] = read(players[index] as ContextPlayer, context);
        }
        return values;
      };
      break;
    }
  }
  if (!asList) {
    return (context) => perSlot(context, firstSlot);
  }
  return (context) => {
    const perTeam = new Array<ExpressionValue>(slots.length);
    for (let index = 0; index < slots.length; index++) {
      perTeam[index] = perSlot(context, slots[index] as number);
    }
    return perTeam;
  };
}

type ListReducer = (list: readonly ExpressionValue[]) => ExpressionValue;

/** Aggregates the innermost lists: a list of lists gives one result per sub-list. */
function reduceInnermost(value: ExpressionValue, depth: number, reducer: ListReducer): ExpressionValue {
  if (depth === 0) {
    return reducer([value]);
  }
  const list = value as readonly ExpressionValue[];
  if (depth === 1) {
    return reducer(list);
  }
  const out = new Array<ExpressionValue>(list.length);
  for (let index = 0; index < list.length; index++) {
    out[index] = reduceInnermost(list[index] as ExpressionValue, depth - 1, reducer);
  }
  return out;
}

// Numeric reducers skip NaN: an empty team has no average, and that absence must not poison
// an aggregate over several teams. A missing attribute is caught separately (context.missing).
function numericReducer(fn: FunctionName): ListReducer {
  switch (fn) {
    case 'sum':
      return (list) => {
        let total = 0;
        for (const value of list) {
          if (!Number.isNaN(value)) total += value as number;
        }
        return total;
      };
    case 'avg':
      return (list) => {
        let total = 0;
        let count = 0;
        for (const value of list) {
          if (!Number.isNaN(value)) {
            total += value as number;
            count++;
          }
        }
        return count === 0 ? Number.NaN : total / count;
      };
    case 'min':
    case 'max': {
      const pickMin = fn === 'min';
      return (list) => {
        let result = Number.NaN;
        for (const value of list) {
          const number = value as number;
          if (
            !Number.isNaN(number) &&
            (Number.isNaN(result) || (pickMin ? number < result : number > result))
          ) {
            result = number;
          }
        }
        return result;
      };
    }
    case 'median':
      return (list) => {
        const sorted = (list as readonly number[])
          .filter((value) => !Number.isNaN(value))
          .sort((a, b) => a - b);
        if (sorted.length === 0) return Number.NaN;
        const middle = sorted.length >> 1;
        return sorted.length % 2 === 1
          ? (sorted[middle] as number)
          : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
      };
    default:
      // Population standard deviation: the players of a match are the whole population.
      return (list) => {
        let total = 0;
        let count = 0;
        for (const value of list) {
          if (!Number.isNaN(value)) {
            total += value as number;
            count++;
          }
        }
        if (count === 0) return Number.NaN;
        const mean = total / count;
        let squares = 0;
        for (const value of list) {
          if (!Number.isNaN(value)) squares += ((value as number) - mean) ** 2;
        }
        return Math.sqrt(squares / count);
      };
  }
}

function intersectStringLists(list: readonly ExpressionValue[]): ExpressionValue {
  if (list.length === 0) {
    return EMPTY_STRINGS;
  }
  let common = new Set(list[0] as readonly string[]);
  for (let index = 1; index < list.length && common.size > 0; index++) {
    const next = new Set(list[index] as readonly string[]);
    common = new Set([...common].filter((value) => next.has(value)));
  }
  return [...common];
}

function flattenTopLevel(value: ExpressionValue): ExpressionValue {
  const out: ExpressionValue[] = [];
  for (const sub of value as readonly ExpressionValue[]) {
    for (const item of sub as readonly ExpressionValue[]) {
      out.push(item);
    }
  }
  return out;
}

/** Compiles a type-checked expression into a closure. Throws if the expression does not type. */
export function compileExpression(
  node: ExpressionNode,
  text: string,
  environment: ExpressionEnvironment,
  party: PartyAggregation = DEFAULT_PARTY_AGGREGATION,
): CompiledExpression {
  const typed = typeOfExpression(node, environment);
  if (!typed.ok) {
    throw new Error(`${text}: ${typed.message}`);
  }
  return { text, type: typed.type, evaluate: compileNode(node, environment, party) };
}

function compileNode(
  node: ExpressionNode,
  environment: ExpressionEnvironment,
  party: PartyAggregation,
): (context: MatchContext) => ExpressionValue {
  if (node.kind === 'path') {
    return compilePath(node, environment, party);
  }
  const argumentType = typeOfExpression(node.argument, environment);
  const depth = argumentType.ok ? argumentType.type.depth : 0;
  const argument = compileNode(node.argument, environment, party);
  switch (node.fn) {
    case 'flatten':
      return depth >= 2 ? (context) => flattenTopLevel(argument(context)) : argument;
    case 'count':
      return (context) => reduceInnermost(argument(context), depth, (list) => list.length);
    case 'set_intersection':
      return (context) => reduceInnermost(argument(context), depth, intersectStringLists);
    default: {
      const reducer = numericReducer(node.fn);
      return (context) => reduceInnermost(argument(context), depth, reducer);
    }
  }
}

/** Calls visit for every leaf of a value of the given depth, without allocating. */
export function forEachLeaf(
  value: ExpressionValue,
  depth: number,
  visit: (leaf: ExpressionValue) => void,
): void {
  if (depth === 0) {
    visit(value);
    return;
  }
  const list = value as readonly ExpressionValue[];
  for (let index = 0; index < list.length; index++) {
    forEachLeaf(list[index] as ExpressionValue, depth - 1, visit);
  }
}
