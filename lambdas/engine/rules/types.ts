import type { ExpressionNode, NumericPartyAggregation, SetPartyAggregation } from './expressions';
import type {
  AgeSelection,
  AttributeSpec,
  BackfillPriority,
  BatchingPreference,
  SortDirection,
  Strategy,
} from './program';
import type { StatementNode } from './statement';

/** A validated FlexMatch rule set, with defaults filled in and expressions already parsed. */
export interface RuleSet {
  name: string;
  ruleLanguageVersion: '1.0';
  playerAttributes: AttributeSpec[];
  teams: TeamDefinition[];
  rules: RuleDefinition[];
  algorithm: AlgorithmDefinition;
  expansions: ExpansionDefinition[];
  /** Sum of maxPlayers × quantity over all teams. */
  totalMaxPlayers: number;
  /** More than 40 players: FlexMatch's large-match algorithm applies. */
  largeMatch: boolean;
}

export interface TeamDefinition {
  name: string;
  minPlayers: number;
  maxPlayers: number;
  quantity: number;
}

export interface ParsedExpression {
  text: string;
  node: ExpressionNode;
}

export type ReferenceValue =
  | { kind: 'expression'; expression: ParsedExpression }
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'string_list'; value: readonly string[] };

export type ComparisonOperation = '<' | '<=' | '=' | '!=' | '>' | '>=';
export type CollectionOperation = 'intersection' | 'contains' | 'reference_intersection_count';

interface RuleBase {
  name: string;
  description?: string;
}

export interface DistanceRuleDefinition extends RuleBase {
  type: 'distance';
  measurements: ParsedExpression[];
  referenceValue?: ReferenceValue;
  minDistance?: number;
  maxDistance?: number;
  partyAggregation: NumericPartyAggregation;
}

export interface ComparisonRuleDefinition extends RuleBase {
  type: 'comparison';
  measurements: ParsedExpression[];
  referenceValue?: ReferenceValue;
  operation: ComparisonOperation;
  partyAggregation: NumericPartyAggregation;
}

export interface CollectionRuleDefinition extends RuleBase {
  type: 'collection';
  measurements: ParsedExpression[];
  referenceValue?: ReferenceValue;
  operation: CollectionOperation;
  minCount?: number;
  maxCount?: number;
  partyAggregation: SetPartyAggregation;
}

export interface LatencyRuleDefinition extends RuleBase {
  type: 'latency';
  maxLatency?: number;
  maxDistance?: number;
  distanceReference: 'min' | 'avg';
  partyAggregation: NumericPartyAggregation;
}

export interface SortRuleDefinition extends RuleBase {
  type: 'distanceSort' | 'absoluteSort';
  sortDirection: SortDirection;
  sortAttribute: string;
  mapKey?: 'minValue' | 'maxValue';
  partyAggregation: NumericPartyAggregation;
}

export interface BatchDistanceRuleDefinition extends RuleBase {
  type: 'batchDistance';
  batchAttribute: string;
  maxDistance?: number;
  partyAggregation: NumericPartyAggregation;
}

export interface CompoundRuleDefinition extends RuleBase {
  type: 'compound';
  statementText: string;
  statement: StatementNode;
}

export type RuleDefinition =
  | DistanceRuleDefinition
  | ComparisonRuleDefinition
  | CollectionRuleDefinition
  | LatencyRuleDefinition
  | SortRuleDefinition
  | BatchDistanceRuleDefinition
  | CompoundRuleDefinition;

export type RuleType = RuleDefinition['type'];

export interface AlgorithmDefinition {
  strategy: Strategy;
  batchingPreference: BatchingPreference;
  sortByAttributes: string[];
  balancedAttribute?: string;
  expansionAgeSelection: AgeSelection;
  backfillPriority: BackfillPriority;
}

export type ExpansionTarget =
  | { kind: 'rule'; ruleName: string; property: string }
  | { kind: 'team'; teamName: string; property: 'minPlayers' | 'maxPlayers' };

export interface ExpansionDefinition {
  targetText: string;
  target: ExpansionTarget;
  steps: Array<{ waitTimeSeconds: number; value: number }>;
}
