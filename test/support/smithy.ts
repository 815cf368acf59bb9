import { readFileSync } from 'node:fs';

/**
 * A small reader for Smithy JSON AST models (the official AWS service models), enough to walk an
 * operation's input and list every constraint it carries. Test support only.
 */

export type Traits = Record<string, unknown>;

export interface ShapeReference {
  target: string;
  traits?: Traits;
}

export interface SmithyShape {
  type: string;
  traits?: Traits;
  members?: Record<string, ShapeReference>;
  member?: ShapeReference;
  key?: ShapeReference;
  value?: ShapeReference;
  input?: ShapeReference;
  output?: ShapeReference;
}

interface SmithyAst {
  smithy: string;
  shapes: Record<string, SmithyShape>;
}

export const TRAIT = {
  required: 'smithy.api#required',
  length: 'smithy.api#length',
  pattern: 'smithy.api#pattern',
  range: 'smithy.api#range',
  enumValue: 'smithy.api#enumValue',
  sensitive: 'smithy.api#sensitive',
} as const;

export interface Bounds {
  min?: number;
  max?: number;
}

/** How a step reaches the next shape: a structure member, a list element, or a map key/value. */
export type Step =
  | { kind: 'member'; name: string; shapeId: string; structureId: string }
  | { kind: 'listMember'; shapeId: string }
  | { kind: 'mapKey'; shapeId: string }
  | { kind: 'mapValue'; shapeId: string };

export type ConstraintKind =
  | 'required'
  | 'minLength'
  | 'maxLength'
  | 'pattern'
  | 'minValue'
  | 'maxValue'
  | 'enum';

/** One constraint the model puts on the value at the end of `steps`. */
export interface ConstraintSite {
  steps: Step[];
  kind: ConstraintKind;
  /** The bound for length/range kinds. */
  bound?: number;
  pattern?: string;
  enumValues?: string[];
}

export interface StructureSite {
  steps: Step[];
  structureId: string;
  memberNames: string[];
}

export class SmithyModel {
  private constructor(private readonly ast: SmithyAst) {}

  static load(path: string): SmithyModel {
    return new SmithyModel(JSON.parse(readFileSync(path, 'utf8')) as SmithyAst);
  }

  shape(id: string): SmithyShape {
    const shape = this.ast.shapes[id];
    if (!shape) throw new Error(`shape ${id} is not in the model`);
    return shape;
  }

  /** Prelude shapes (smithy.api#String …) are not listed in a service model's AST. */
  shapeType(id: string): string {
    if (id.startsWith('smithy.api#')) return id.slice('smithy.api#'.length).toLowerCase();
    return this.shape(id).type;
  }

  traitsOf(id: string): Traits {
    return id.startsWith('smithy.api#') ? {} : (this.shape(id).traits ?? {});
  }

  /** Traits applying where a reference is used: the target's, overridden by the reference's own. */
  effectiveTraits(reference: ShapeReference): Traits {
    return { ...this.traitsOf(reference.target), ...(reference.traits ?? {}) };
  }

  operationInputId(namespace: string, operation: string): string {
    const input = this.shape(`${namespace}#${operation}`).input;
    if (!input) throw new Error(`operation ${operation} has no input`);
    return input.target;
  }

  enumValues(id: string): string[] {
    const shape = this.shape(id);
    return Object.values(shape.members ?? {}).map((member) => String(member.traits?.[TRAIT.enumValue]));
  }

  /** Every structure reachable from `rootId`, each with the path of its first occurrence. */
  structures(rootId: string): StructureSite[] {
    const sites: StructureSite[] = [];
    this.walk(rootId, [], new Set(), (shapeId, steps) => {
      const shape = this.shape(shapeId);
      if (shape.type === 'structure') {
        sites.push({ steps, structureId: shapeId, memberNames: Object.keys(shape.members ?? {}) });
      }
    });
    return sites;
  }

  /** Every constraint reachable from `rootId` (a structure), with the path that reaches it. */
  constraints(rootId: string): ConstraintSite[] {
    const sites: ConstraintSite[] = [];
    this.walk(rootId, [], new Set(), (shapeId, steps, traits) => {
      const last = steps.at(-1);
      if (last?.kind === 'member' && traits[TRAIT.required] !== undefined)
        sites.push({ steps, kind: 'required' });
      const length = traits[TRAIT.length] as Bounds | undefined;
      if (length?.min !== undefined) sites.push({ steps, kind: 'minLength', bound: length.min });
      if (length?.max !== undefined) sites.push({ steps, kind: 'maxLength', bound: length.max });
      const range = traits[TRAIT.range] as Bounds | undefined;
      if (range?.min !== undefined) sites.push({ steps, kind: 'minValue', bound: range.min });
      if (range?.max !== undefined) sites.push({ steps, kind: 'maxValue', bound: range.max });
      const pattern = traits[TRAIT.pattern];
      if (typeof pattern === 'string') sites.push({ steps, kind: 'pattern', pattern });
      if (this.shapeType(shapeId) === 'enum')
        sites.push({ steps, kind: 'enum', enumValues: this.enumValues(shapeId) });
    });
    return sites;
  }

  /**
   * Depth-first over the shapes a value of `shapeId` can contain. `visit` sees each occurrence
   * with its effective traits. A structure already on the current path is not re-entered
   * (recursive shapes would never end); FlexMatch inputs have none, but the guard is cheap.
   */
  private walk(
    shapeId: string,
    steps: Step[],
    onPath: Set<string>,
    visit: (shapeId: string, steps: Step[], traits: Traits) => void,
    traits: Traits = this.traitsOf(shapeId),
  ): void {
    visit(shapeId, steps, traits);
    if (shapeId.startsWith('smithy.api#') || onPath.has(shapeId)) return;
    const shape = this.shape(shapeId);
    const inner = new Set(onPath).add(shapeId);
    if (shape.type === 'structure') {
      for (const [name, reference] of Object.entries(shape.members ?? {})) {
        const step: Step = { kind: 'member', name, shapeId: reference.target, structureId: shapeId };
        this.walk(reference.target, [...steps, step], inner, visit, this.effectiveTraits(reference));
      }
    } else if (shape.type === 'list' && shape.member) {
      const step: Step = { kind: 'listMember', shapeId: shape.member.target };
      this.walk(shape.member.target, [...steps, step], inner, visit, this.effectiveTraits(shape.member));
    } else if (shape.type === 'map' && shape.key && shape.value) {
      const keyStep: Step = { kind: 'mapKey', shapeId: shape.key.target };
      this.walk(shape.key.target, [...steps, keyStep], inner, visit, this.effectiveTraits(shape.key));
      const valueStep: Step = { kind: 'mapValue', shapeId: shape.value.target };
      this.walk(shape.value.target, [...steps, valueStep], inner, visit, this.effectiveTraits(shape.value));
    }
  }
}
