import type { Player } from '../model';
import {
  type CompiledExpression,
  compileExpression,
  type ExpressionNode,
  type ExpressionValue,
  type NumericPartyAggregation,
  type PartyAggregation,
  parsePropertyExpression,
  partyNumber,
  readOwnAttribute,
  selectedSlots,
} from './expressions';
import {
  type AttributeSpec,
  type CompiledStatement,
  type Expandable,
  type ExpansionDescription,
  type ExpressionEnvironment,
  fixedValue,
  type MatchContext,
  type MatchRule,
  type OrderingRule,
  type PlayerFilter,
  type PredicateRule,
  type QueueProgram,
  type TeamSlot,
  valueAtAge,
} from './program';
import type { StatementNode } from './statement';
import type {
  BatchDistanceRuleDefinition,
  CollectionRuleDefinition,
  ComparisonOperation,
  ComparisonRuleDefinition,
  DistanceRuleDefinition,
  LatencyRuleDefinition,
  ParsedExpression,
  ReferenceValue,
  RuleDefinition,
  RuleSet,
  SortRuleDefinition,
} from './types';

/** Compiles a validated rule set into the engine's queue program. */
export function compileRuleSet(ruleSet: RuleSet): QueueProgram {
  const expansionSteps = new Map<string, Expandable['steps']>();
  const expansions: ExpansionDescription[] = ruleSet.expansions.map((expansion) => {
    const steps = expansion.steps.map((step) => ({
      atAgeMs: step.waitTimeSeconds * 1000,
      value: step.value,
    }));
    expansionSteps.set(expansion.targetText, steps);
    return { target: expansion.targetText, steps };
  });
  const expandable = (target: string, base: number): Expandable => ({
    base,
    steps: expansionSteps.get(target) ?? [],
  });

  const teamSlots: TeamSlot[] = [];
  const slotIndexes = new Map<string, number[]>();
  for (const team of ruleSet.teams) {
    const indexes: number[] = [];
    // An expansion of a team definition applies to every slot generated from it.
    const minPlayers = expandable(`teams[${team.name}].minPlayers`, team.minPlayers);
    const maxPlayers = expandable(`teams[${team.name}].maxPlayers`, team.maxPlayers);
    for (let copy = 1; copy <= team.quantity; copy++) {
      const name = team.quantity === 1 ? team.name : `${team.name}_${copy}`;
      const index = teamSlots.length;
      teamSlots.push({ index, name, definitionName: team.name, minPlayers, maxPlayers });
      if (team.quantity > 1) slotIndexes.set(name, [index]);
      indexes.push(index);
    }
    slotIndexes.set(team.name, indexes);
  }
  const environment: ExpressionEnvironment = {
    attributes: new Map(ruleSet.playerAttributes.map((spec) => [spec.name, spec])),
    teamSlots: slotIndexes,
    slotCount: teamSlots.length,
  };

  const compiler = new RuleCompiler(environment, expandable);
  const matchRules: MatchRule[] = [];
  const orderingRules: OrderingRule[] = [];
  const playerFilters: PlayerFilter[] = [];
  const referencedByCompound = new Set<string>();
  for (const rule of ruleSet.rules) {
    if (rule.type === 'compound') {
      collectNames(rule.statement, referencedByCompound);
    }
  }
  for (const rule of ruleSet.rules) {
    const meta = {
      name: rule.name,
      sourceType: rule.type,
      weight: 1,
      standalone: !referencedByCompound.has(rule.name),
      ...measuredAttributeOf(rule, environment),
    };
    switch (rule.type) {
      case 'distanceSort':
      case 'absoluteSort':
        orderingRules.push(compiler.sortRule(rule));
        matchRules.push({ ...meta, kind: 'ordering', orderingIndex: orderingRules.length - 1 });
        break;
      case 'compound':
        // Statements are resolved once every rule has an index (below).
        matchRules.push({ ...meta, kind: 'compound', statement: { op: 'and', operands: [] } });
        break;
      default: {
        const compiled = compiler.predicate(rule);
        matchRules.push({ ...meta, kind: 'predicate', evaluate: compiled.evaluate });
        playerFilters.push(...compiled.filters);
        if (rule.type === 'batchDistance') {
          const ordering = compiler.batchOrdering(rule);
          if (ordering !== undefined) orderingRules.push(ordering);
        }
      }
    }
  }
  const ruleIndexes = new Map(matchRules.map((rule, index) => [rule.name, index]));
  ruleSet.rules.forEach((rule, index) => {
    const compiled = matchRules[index];
    if (rule.type === 'compound' && compiled?.kind === 'compound') {
      compiled.statement = compileStatement(rule.statement, ruleIndexes);
    }
  });
  for (const attribute of ruleSet.algorithm.sortByAttributes) {
    const spec = environment.attributes.get(attribute);
    if (spec !== undefined) orderingRules.push(compiler.attributeOrdering(spec));
  }

  const playableRegions = playableRegionsOf(ruleSet.rules, expandable);
  return {
    ...(playableRegions === undefined ? {} : { playableRegions }),
    dialect: 'flexmatch',
    name: ruleSet.name,
    attributes: ruleSet.playerAttributes,
    teamSlots,
    playerFilters,
    matchRules,
    orderingRules,
    expansions,
    algorithm: { ...ruleSet.algorithm, largeMatch: ruleSet.largeMatch },
    totalMinPlayers: teamSlots.reduce((total, slot) => total + slot.minPlayers.base, 0),
    totalMaxPlayers: teamSlots.reduce((total, slot) => total + slot.maxPlayers.base, 0),
    environment,
  };
}

/** The number attributes an expression reads, in the order they appear. */
function numberAttributesIn(node: ExpressionNode, environment: ExpressionEnvironment, into: string[]): void {
  if (node.kind === 'call') {
    numberAttributesIn(node.argument, environment, into);
    return;
  }
  if (node.selection.kind !== 'attribute') return;
  const spec = environment.attributes.get(node.selection.attribute);
  if (spec?.type === 'number' || spec?.type === 'string_number_map') into.push(spec.name);
}

/**
 * The one number attribute a rule measures, when it measures exactly one: the batching key the
 * pass derives from the rules (a rule comparing two attributes says nothing about which to line
 * the pool up by).
 */
function measuredAttributeOf(
  rule: RuleDefinition,
  environment: ExpressionEnvironment,
): { measuredAttribute?: string } {
  const names: string[] = [];
  switch (rule.type) {
    case 'distance':
    case 'comparison':
      for (const measurement of rule.measurements) numberAttributesIn(measurement.node, environment, names);
      if (rule.referenceValue?.kind === 'expression')
        numberAttributesIn(rule.referenceValue.expression.node, environment, names);
      break;
    case 'batchDistance':
      names.push(rule.batchAttribute);
      break;
    case 'distanceSort':
    case 'absoluteSort':
      names.push(rule.sortAttribute);
      break;
    default:
      break;
  }
  const distinct = [...new Set(names)];
  const only = distinct[0];
  return distinct.length === 1 && only !== undefined && environment.attributes.get(only)?.type === 'number'
    ? { measuredAttribute: only }
    : {};
}

/**
 * Where a party may be hosted under the rule set's latency rules: every reported region whose
 * party latency meets each rule's maxLatency at the age, fastest first (ties by name). Undefined
 * without a latency rule.
 */
function playableRegionsOf(
  rules: readonly RuleDefinition[],
  expandable: (target: string, base: number) => Expandable,
): QueueProgram['playableRegions'] {
  const limits = rules
    .filter((rule): rule is LatencyRuleDefinition => rule.type === 'latency')
    .map((rule) => ({
      how: rule.partyAggregation,
      maxLatency:
        rule.maxLatency === undefined
          ? fixedValue(Number.POSITIVE_INFINITY)
          : expandable(`rules[${rule.name}].maxLatency`, rule.maxLatency),
    }));
  if (limits.length === 0) return undefined;
  // Scratch reused across calls (each waiting ticket makes one per pass), filled up to `found`
  // and never emptied by setting its length (which gives its storage back, to be regrown on the
  // next call); only an exact copy of the regions escapes.
  const latencies: number[] = [];
  const regions: string[] = [];
  return (party, ageMs) => {
    const first = party[0];
    if (first === undefined) return [];
    let found = 0;
    for (const region in first.latencyInMs) {
      if (!Object.hasOwn(first.latencyInMs, region)) continue;
      let worst = Number.NEGATIVE_INFINITY;
      for (const limit of limits) {
        const latency = partyLatency(party, region, limit.how);
        if (!(latency <= valueAtAge(limit.maxLatency, ageMs))) {
          worst = Number.NaN;
          break;
        }
        if (latency > worst) worst = latency;
      }
      if (Number.isNaN(worst)) continue;
      // Insertion keeps the few regions sorted: fastest first, ties by name.
      let at = found;
      while (
        at > 0 &&
        ((latencies[at - 1] as number) > worst ||
          ((latencies[at - 1] as number) === worst && (regions[at - 1] as string) > region))
      )
        at--;
      // Shifted by hand: splice allocates an array of removed items per call, once per ticket.
      for (let move = found; move > at; move--) {
        regions[move] = regions[move - 1] as string;
        latencies[move] = latencies[move - 1] as number;
      }
      regions[at] = region;
      latencies[at] = worst;
      found++;
    }
    return regions.slice(0, found);
  };
}

function collectNames(statement: StatementNode, into: Set<string>): void {
  if (statement.kind === 'rule') {
    into.add(statement.name);
  } else {
    for (const operand of statement.operands) collectNames(operand, into);
  }
}

function compileStatement(
  statement: StatementNode,
  ruleIndexes: ReadonlyMap<string, number>,
): CompiledStatement {
  if (statement.kind === 'rule') {
    return { op: 'rule', ruleIndex: ruleIndexes.get(statement.name) ?? -1 };
  }
  const operands = statement.operands.map((operand) => compileStatement(operand, ruleIndexes));
  if (statement.operator === 'not') {
    return { op: 'not', operand: operands[0] ?? { op: 'and', operands: [] } };
  }
  return { op: statement.operator, operands };
}

type CompiledReference =
  | { kind: 'number'; value: Expandable }
  | { kind: 'string'; value: string }
  | { kind: 'set'; value: ReadonlySet<string> }
  | { kind: 'expression'; expression: CompiledExpression };

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(3).replace(/0+$/, '');
}

function compare(left: number | string, operation: ComparisonOperation, right: number | string): boolean {
  switch (operation) {
    case '<':
      return left < right;
    case '<=':
      return left <= right;
    case '=':
      return left === right;
    case '!=':
      return left !== right;
    case '>':
      return left > right;
    default:
      return left >= right;
  }
}

/** Pushes every leaf of a value into out (depth is at most 2 for FlexMatch expressions). */
function collectLeaves(value: ExpressionValue, depth: number, out: ExpressionValue[]): void {
  if (depth === 0) {
    out.push(value);
    return;
  }
  const list = value as readonly ExpressionValue[];
  for (let index = 0; index < list.length; index++) {
    collectLeaves(list[index] as ExpressionValue, depth - 1, out);
  }
}

function boundsDetail(minimum: number, maximum: number): string {
  if (minimum === Number.NEGATIVE_INFINITY) return `at most ${formatNumber(maximum)}`;
  if (maximum === Number.POSITIVE_INFINITY) return `at least ${formatNumber(minimum)}`;
  return `between ${formatNumber(minimum)} and ${formatNumber(maximum)}`;
}

interface CompiledPredicate {
  evaluate: PredicateRule['evaluate'];
  filters: PlayerFilter[];
}

class RuleCompiler {
  constructor(
    private readonly environment: ExpressionEnvironment,
    private readonly expandable: (target: string, base: number) => Expandable,
  ) {}

  predicate(
    rule: Exclude<RuleDefinition, { type: 'compound' | 'distanceSort' | 'absoluteSort' }>,
  ): CompiledPredicate {
    switch (rule.type) {
      case 'distance':
        return { evaluate: this.distance(rule), filters: [] };
      case 'comparison':
        return this.comparison(rule);
      case 'collection':
        return { evaluate: this.collection(rule), filters: [] };
      case 'latency':
        return this.latency(rule);
      default:
        return { evaluate: this.batchDistance(rule), filters: [] };
    }
  }

  private bound(ruleName: string, property: string, base: number | undefined, unbounded: number): Expandable {
    return base === undefined
      ? fixedValue(unbounded)
      : this.expandable(`rules[${ruleName}].${property}`, base);
  }

  private measurements(list: readonly ParsedExpression[], party: PartyAggregation): CompiledExpression[] {
    return list.map((measurement) =>
      compileExpression(measurement.node, measurement.text, this.environment, party),
    );
  }

  private reference(
    rule: { name: string; referenceValue?: ReferenceValue },
    party: PartyAggregation,
  ): CompiledReference | undefined {
    const reference = rule.referenceValue;
    if (reference === undefined) return undefined;
    switch (reference.kind) {
      case 'number':
        return {
          kind: 'number',
          value: this.expandable(`rules[${rule.name}].referenceValue`, reference.value),
        };
      case 'string':
        return { kind: 'string', value: reference.value };
      case 'string_list':
        return { kind: 'set', value: new Set(reference.value) };
      default:
        return {
          kind: 'expression',
          expression: compileExpression(
            reference.expression.node,
            reference.expression.text,
            this.environment,
            party,
          ),
        };
    }
  }

  private distance(rule: DistanceRuleDefinition): PredicateRule['evaluate'] {
    const party: PartyAggregation = { numeric: rule.partyAggregation, set: 'union' };
    const measurements = this.measurements(rule.measurements, party);
    const reference = this.reference(rule, party);
    const minDistance = this.bound(rule.name, 'minDistance', rule.minDistance, Number.NEGATIVE_INFINITY);
    const maxDistance = this.bound(rule.name, 'maxDistance', rule.maxDistance, Number.POSITIVE_INFINITY);
    const leaves: ExpressionValue[] = [];
    return (context, ageMs) => {
      const minimum = valueAtAge(minDistance, ageMs);
      const maximum = valueAtAge(maxDistance, ageMs);
      let referenceNumber = Number.NaN;
      if (reference?.kind === 'number') {
        referenceNumber = valueAtAge(reference.value, ageMs);
      } else if (reference?.kind === 'expression') {
        referenceNumber = reference.expression.evaluate(context) as number;
      }
      leaves.length = 0;
      for (const measurement of measurements) {
        collectLeaves(measurement.evaluate(context), measurement.type.depth, leaves);
      }
      if (context.missing !== undefined) return context.missing;
      if (reference === undefined) {
        // Without a reference the distance is the spread of the measurements.
        let low = Number.POSITIVE_INFINITY;
        let high = Number.NEGATIVE_INFINITY;
        for (const leaf of leaves) {
          const value = leaf as number;
          if (Number.isNaN(value)) continue;
          if (value < low) low = value;
          if (value > high) high = value;
        }
        if (low > high) return undefined;
        const spread = high - low;
        return spread < minimum || spread > maximum
          ? `spread of ${measurementTexts(measurements)} is ${formatNumber(spread)}, must be ${boundsDetail(minimum, maximum)}`
          : undefined;
      }
      // An absent reference (the average of nobody) leaves nothing to measure against.
      if (Number.isNaN(referenceNumber)) return undefined;
      for (const leaf of leaves) {
        const value = leaf as number;
        if (Number.isNaN(value)) continue;
        const distance = Math.abs(value - referenceNumber);
        if (distance < minimum || distance > maximum) {
          return `${measurementTexts(measurements)} gives ${formatNumber(value)}, ${formatNumber(distance)} from the reference ${formatNumber(referenceNumber)}; the distance must be ${boundsDetail(minimum, maximum)}`;
        }
      }
      return undefined;
    };
  }

  private comparison(rule: ComparisonRuleDefinition): CompiledPredicate {
    const party: PartyAggregation = { numeric: rule.partyAggregation, set: 'union' };
    const measurements = this.measurements(rule.measurements, party);
    const reference = this.reference(rule, party);
    const operation = rule.operation;
    const leaves: ExpressionValue[] = [];
    const evaluate: PredicateRule['evaluate'] = (context, ageMs) => {
      leaves.length = 0;
      for (const measurement of measurements) {
        collectLeaves(measurement.evaluate(context), measurement.type.depth, leaves);
      }
      let referenceValue: number | string | undefined;
      if (reference?.kind === 'number') referenceValue = valueAtAge(reference.value, ageMs);
      else if (reference?.kind === 'string') referenceValue = reference.value;
      else if (reference?.kind === 'expression')
        referenceValue = reference.expression.evaluate(context) as number | string;
      if (context.missing !== undefined) return context.missing;
      if (reference === undefined) {
        return operation === '=' ? allEqual(leaves, measurements) : allDifferent(leaves, measurements);
      }
      if (typeof referenceValue === 'number' && Number.isNaN(referenceValue)) return undefined;
      for (const leaf of leaves) {
        const value = leaf as number | string;
        if (typeof value === 'number' && Number.isNaN(value)) continue;
        if (!compare(value, operation, referenceValue as number | string)) {
          return `${measurementTexts(measurements)} gives ${JSON.stringify(value)}, which is not ${operation} ${JSON.stringify(referenceValue)}`;
        }
      }
      return undefined;
    };
    return { evaluate, filters: this.comparisonFilters(rule, reference) };
  }

  /**
   * A comparison of each player's own attribute against a literal holds per player, so the
   * matching pass can drop failing tickets early: for every slot when the measurement spans
   * all teams (`teams[*]`, possibly flattened), for one team's slots otherwise.
   */
  private comparisonFilters(
    rule: ComparisonRuleDefinition,
    reference: CompiledReference | undefined,
  ): PlayerFilter[] {
    if (reference === undefined || (reference.kind !== 'number' && reference.kind !== 'string')) return [];
    const literal = reference;
    const filters: PlayerFilter[] = [];
    for (const measurement of rule.measurements) {
      let node: ExpressionNode = measurement.node;
      while (node.kind === 'call' && node.fn === 'flatten') node = node.argument;
      if (node.kind !== 'path' || node.selection.kind !== 'attribute') continue;
      const spec = this.environment.attributes.get(node.selection.attribute);
      if (spec === undefined || (spec.type !== 'number' && spec.type !== 'string')) continue;
      const slots = node.wildcard ? 'all' : selectedSlots(node, this.environment);
      const operation = rule.operation;
      const how = rule.partyAggregation;
      filters.push({
        ruleName: rule.name,
        slots,
        test: (party, ageMs) => {
          const referenceValue = literal.kind === 'number' ? valueAtAge(literal.value, ageMs) : literal.value;
          const scratch: MatchContext = { slotPlayers: [], parties: [], missing: undefined };
          const value =
            spec.type === 'number'
              ? partyNumber(party, spec, how, scratch)
              : (readOwnAttribute(party[0] as Player, spec, scratch) as string);
          if (scratch.missing !== undefined) return scratch.missing;
          return compare(value, operation, referenceValue)
            ? undefined
            : `${spec.name} ${JSON.stringify(value)} is not ${operation} ${JSON.stringify(referenceValue)}`;
        },
      });
    }
    return filters;
  }

  private collection(rule: CollectionRuleDefinition): PredicateRule['evaluate'] {
    const party: PartyAggregation = { numeric: 'avg', set: rule.partyAggregation };
    const measurements = this.measurements(rule.measurements, party);
    const reference = this.reference(rule, party);
    const minCount = this.bound(rule.name, 'minCount', rule.minCount, Number.NEGATIVE_INFINITY);
    const maxCount = this.bound(rule.name, 'maxCount', rule.maxCount, Number.POSITIVE_INFINITY);
    const leaves: ExpressionValue[] = [];
    const collections: Array<readonly string[]> = [];
    const operation = rule.operation;
    return (context, ageMs) => {
      const minimum = valueAtAge(minCount, ageMs);
      const maximum = valueAtAge(maxCount, ageMs);
      collections.length = 0;
      for (const measurement of measurements) {
        leaves.length = 0;
        collectLeaves(measurement.evaluate(context), measurement.type.depth, leaves);
        // A string_list leaf is one collection; a plain string counts as a collection of one.
        const singletons = measurement.type.leaf === 'string';
        for (const leaf of leaves)
          collections.push(singletons ? [leaf as string] : (leaf as readonly string[]));
      }
      const referenceSet = referenceStrings(reference, context);
      if (context.missing !== undefined) return context.missing;
      const outOfBounds = (count: number): boolean => count < minimum || count > maximum;
      const what = measurementTexts(measurements);
      if (operation === 'intersection') {
        const count = intersectionSize(collections);
        return outOfBounds(count)
          ? `${what} has ${count} value(s) in common; the count must be ${boundsDetail(minimum, maximum)}`
          : undefined;
      }
      if (operation === 'contains') {
        // The number of collections holding a reference value: a value a player lists twice
        // still makes one collection.
        let count = 0;
        for (const collection of collections)
          if (collection.some((value) => referenceSet.has(value))) count++;
        return outOfBounds(count)
          ? `${what} contains ${[...referenceSet].join(', ')} ${count} time(s); the count must be ${boundsDetail(minimum, maximum)}`
          : undefined;
      }
      for (const collection of collections) {
        const count = new Set(collection.filter((value) => referenceSet.has(value))).size;
        if (outOfBounds(count)) {
          return `[${collection.join(', ')}] shares ${count} value(s) with the reference; the count must be ${boundsDetail(minimum, maximum)}`;
        }
      }
      return undefined;
    };
  }

  private latency(rule: LatencyRuleDefinition): CompiledPredicate {
    const maxLatency = this.bound(rule.name, 'maxLatency', rule.maxLatency, Number.POSITIVE_INFINITY);
    const maxDistance =
      rule.maxDistance === undefined ? undefined : this.bound(rule.name, 'maxDistance', rule.maxDistance, 0);
    const how = rule.partyAggregation;
    const useAverage = rule.distanceReference === 'avg';
    const partyLatencies: number[] = [];
    const evaluate: PredicateRule['evaluate'] = (context, ageMs) => {
      const limit = valueAtAge(maxLatency, ageMs);
      const distanceLimit =
        maxDistance === undefined ? Number.POSITIVE_INFINITY : valueAtAge(maxDistance, ageMs);
      const parties = context.parties;
      const first = parties[0];
      if (first === undefined || first.length === 0) return undefined;
      for (const party of parties) {
        if (!hasAcceptableRegion(party, limit, how)) {
          return `ticket of player ${party[0]?.playerId ?? '?'} reports no region at or below ${formatNumber(limit)} ms`;
        }
      }
      // Regions above maxLatency are ignored: a region qualifies when every party reaches it within the limit.
      const firstPlayer = first[0] as Player;
      for (const region of Object.keys(firstPlayer.latencyInMs)) {
        partyLatencies.length = 0;
        let qualifies = true;
        for (const party of parties) {
          const latency = partyLatency(party, region, how);
          if (Number.isNaN(latency) || latency > limit) {
            qualifies = false;
            break;
          }
          partyLatencies.push(latency);
        }
        if (!qualifies) continue;
        if (distanceLimit === Number.POSITIVE_INFINITY) return undefined;
        let reference = useAverage ? 0 : Number.POSITIVE_INFINITY;
        for (const latency of partyLatencies)
          reference = useAverage ? reference + latency : Math.min(reference, latency);
        if (useAverage) reference /= partyLatencies.length;
        if (partyLatencies.every((latency) => Math.abs(latency - reference) <= distanceLimit))
          return undefined;
      }
      return maxDistance === undefined
        ? `no region where every player's latency is at or below ${formatNumber(limit)} ms`
        : `no region where every player's latency is at or below ${formatNumber(limit)} ms and within ${formatNumber(distanceLimit)} ms of the ${rule.distanceReference}`;
    };
    const filters: PlayerFilter[] =
      rule.maxLatency === undefined
        ? []
        : [
            {
              ruleName: rule.name,
              slots: 'all',
              test: (party, ageMs) => {
                const limit = valueAtAge(maxLatency, ageMs);
                return hasAcceptableRegion(party, limit, how)
                  ? undefined
                  : `no region at or below ${formatNumber(limit)} ms`;
              },
            },
          ];
    return { evaluate, filters };
  }

  private batchDistance(rule: BatchDistanceRuleDefinition): PredicateRule['evaluate'] {
    const text = `flatten(teams[*].players.attributes[${rule.batchAttribute}])`;
    const parsed = parsePropertyExpression(text);
    if (!parsed.ok) throw new Error(`batchDistance ${rule.name}: ${parsed.message}`);
    const expression = compileExpression(parsed.node, text, this.environment, {
      numeric: rule.partyAggregation,
      set: 'union',
    });
    const maxDistance = this.bound(rule.name, 'maxDistance', rule.maxDistance, 0);
    const isNumber = expression.type.leaf === 'number';
    return (context, ageMs) => {
      const values = expression.evaluate(context) as ReadonlyArray<number | string>;
      if (context.missing !== undefined) return context.missing;
      if (!isNumber) {
        const first = values[0];
        const different = values.find((value) => value !== first);
        return different === undefined
          ? undefined
          : `players differ in ${rule.batchAttribute} (${JSON.stringify(first)} and ${JSON.stringify(different)})`;
      }
      let low = Number.POSITIVE_INFINITY;
      let high = Number.NEGATIVE_INFINITY;
      for (const value of values as readonly number[]) {
        if (value < low) low = value;
        if (value > high) high = value;
      }
      const limit = valueAtAge(maxDistance, ageMs);
      return high - low > limit
        ? `${rule.batchAttribute} spans ${formatNumber(low)} to ${formatNumber(high)}, more than ${formatNumber(limit)} apart`
        : undefined;
    };
  }

  sortRule(rule: SortRuleDefinition): OrderingRule {
    const spec = this.environment.attributes.get(rule.sortAttribute) as AttributeSpec;
    const sign = rule.sortDirection === 'ascending' ? 1 : -1;
    const how = rule.partyAggregation;
    const pickMax = rule.mapKey === 'maxValue';
    const sortValue =
      spec.type === 'string_number_map'
        ? (party: readonly Player[], anchor: readonly Player[]): number => {
            // The anchor's own map decides the key every ticket is sorted on.
            const anchorMap = partyMap(anchor, spec);
            let chosenKey: string | undefined;
            let chosenValue = 0;
            for (const [key, value] of Object.entries(anchorMap)) {
              if (chosenKey === undefined || (pickMax ? value > chosenValue : value < chosenValue)) {
                chosenKey = key;
                chosenValue = value;
              }
            }
            if (chosenKey === undefined) return Number.NaN;
            return mapValue(party, spec, chosenKey, how);
          }
        : (party: readonly Player[]): number => partyNumber(party, spec, how, undefined);
    if (rule.type === 'absoluteSort') {
      return {
        name: rule.name,
        sourceType: rule.type,
        direction: rule.sortDirection,
        key: (party, anchor) => sign * sortValue(party, anchor),
      };
    }
    return {
      name: rule.name,
      sourceType: rule.type,
      direction: rule.sortDirection,
      key: (party, anchor) => sign * Math.abs(sortValue(party, anchor) - sortValue(anchor, anchor)),
    };
  }

  batchOrdering(rule: BatchDistanceRuleDefinition): OrderingRule | undefined {
    const spec = this.environment.attributes.get(rule.batchAttribute);
    if (spec?.type !== 'number') return undefined;
    // Sorting by the batch attribute puts tickets that can share a batch next to each other.
    return {
      name: rule.name,
      sourceType: 'batchDistance',
      direction: 'ascending',
      key: (party) => partyNumber(party, spec, rule.partyAggregation, undefined),
    };
  }

  attributeOrdering(spec: AttributeSpec): OrderingRule {
    return {
      name: `sortByAttributes[${spec.name}]`,
      sourceType: 'sortByAttributes',
      direction: 'ascending',
      // Only numbers give a numeric key; other attribute types leave the order to later keys.
      key: spec.type === 'number' ? (party) => partyNumber(party, spec, 'avg', undefined) : () => 0,
    };
  }
}

function measurementTexts(measurements: readonly CompiledExpression[]): string {
  return measurements.map((measurement) => measurement.text).join(' + ');
}

function allEqual(
  leaves: readonly ExpressionValue[],
  measurements: readonly CompiledExpression[],
): string | undefined {
  const first = leaves[0];
  for (const leaf of leaves) {
    if (leaf !== first) {
      return `${measurementTexts(measurements)} holds different values (${JSON.stringify(first)} and ${JSON.stringify(leaf)})`;
    }
  }
  return undefined;
}

function allDifferent(
  leaves: readonly ExpressionValue[],
  measurements: readonly CompiledExpression[],
): string | undefined {
  const seen = new Set<ExpressionValue>();
  for (const leaf of leaves) {
    if (seen.has(leaf)) {
      return `${measurementTexts(measurements)} holds ${JSON.stringify(leaf)} more than once`;
    }
    seen.add(leaf);
  }
  return undefined;
}

const NO_STRINGS: ReadonlySet<string> = new Set();

function referenceStrings(
  reference: CompiledReference | undefined,
  context: MatchContext,
): ReadonlySet<string> {
  switch (reference?.kind) {
    case 'string':
      return new Set([reference.value]);
    case 'set':
      return reference.value;
    case 'expression': {
      const leaves: ExpressionValue[] = [];
      collectLeaves(reference.expression.evaluate(context), reference.expression.type.depth, leaves);
      const result = new Set<string>();
      for (const leaf of leaves) {
        if (typeof leaf === 'string') result.add(leaf);
        else for (const value of leaf as readonly string[]) result.add(value);
      }
      return result;
    }
    default:
      return NO_STRINGS;
  }
}

function intersectionSize(collections: ReadonlyArray<readonly string[]>): number {
  const first = collections[0];
  if (first === undefined) return 0;
  let common = new Set(first);
  for (let index = 1; index < collections.length && common.size > 0; index++) {
    const next = new Set(collections[index]);
    common = new Set([...common].filter((value) => next.has(value)));
  }
  return common.size;
}

/** A party's latency to a region, NaN when any member does not report that region. */
function partyLatency(party: readonly Player[], region: string, how: NumericPartyAggregation): number {
  if (party.length === 1) {
    const only = party[0] as Player;
    return Object.hasOwn(only.latencyInMs, region) ? (only.latencyInMs[region] as number) : Number.NaN;
  }
  // One loop, no array of values: this runs per party and region for every waiting ticket.
  let result = how === 'min' ? Number.POSITIVE_INFINITY : how === 'max' ? Number.NEGATIVE_INFINITY : 0;
  for (const member of party) {
    if (!Object.hasOwn(member.latencyInMs, region)) return Number.NaN;
    const value = member.latencyInMs[region] as number;
    result =
      how === 'min' ? Math.min(result, value) : how === 'max' ? Math.max(result, value) : result + value;
  }
  return how === 'avg' ? result / party.length : result;
}

function hasAcceptableRegion(party: readonly Player[], limit: number, how: NumericPartyAggregation): boolean {
  const first = party[0];
  if (first === undefined) return true;
  // for...in: no array of keys per call (this runs once per waiting ticket and pass).
  for (const region in first.latencyInMs) {
    if (Object.hasOwn(first.latencyInMs, region) && partyLatency(party, region, how) <= limit) return true;
  }
  return false;
}

function partyMap(party: readonly Player[], spec: AttributeSpec): Readonly<Record<string, number>> {
  const first = party[0];
  return first === undefined
    ? {}
    : (readOwnAttribute(first, spec, undefined) as Readonly<Record<string, number>>);
}

function mapValue(
  party: readonly Player[],
  spec: AttributeSpec,
  key: string,
  how: NumericPartyAggregation,
): number {
  let result = how === 'min' ? Number.POSITIVE_INFINITY : how === 'max' ? Number.NEGATIVE_INFINITY : 0;
  let count = 0;
  for (const member of party) {
    const map = readOwnAttribute(member, spec, undefined) as Readonly<Record<string, number>>;
    if (!Object.hasOwn(map, key)) continue;
    const value = map[key] as number;
    result =
      how === 'min' ? Math.min(result, value) : how === 'max' ? Math.max(result, value) : result + value;
    count++;
  }
  if (count === 0) return Number.NaN;
  return how === 'avg' ? result / count : result;
}
