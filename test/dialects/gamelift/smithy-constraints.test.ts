import * as z from 'zod/mini';
import { type GameLiftOperation, operationInputSchemas } from '../../../lambdas/dialects/gamelift/schemas';
import { parseOperationInput } from '../../../lambdas/dialects/gamelift/validation-message';
import { describeWithShared } from '../../support/shared';
import { type ConstraintSite, SmithyModel, type Step, TRAIT } from '../../support/smithy';

/**
 * Conformance of the hand-written input schemas with the official Smithy model: for every
 * constraint the model puts on anything an operation's input reaches, a minimal valid input is
 * built from the model, accepted, then broken in exactly that place and rejected with an
 * AWS-style message naming the member path and the constraint.
 */

const NAMESPACE = 'com.amazonaws.gamelift';
const OPERATIONS = Object.keys(operationInputSchemas) as GameLiftOperation[];
const id = (name: string) => `${NAMESPACE}#${name}`;

/** Valid samples for the model's patterns; the test checks each sample against its pattern. */
const SAMPLE_BY_PATTERN: Record<string, string> = {
  '^[a-zA-Z0-9-\\.]*$': 'sample-id.1',
  '^[a-zA-Z0-9-\\.]*|^arn:.*:matchmakingconfiguration\\/[a-zA-Z0-9-\\.]*$': 'my-configuration',
  '^[a-zA-Z0-9-\\.]*|^arn:.*:matchmakingruleset\\/[a-zA-Z0-9-\\.]*$': 'my-rule-set',
  '^[a-zA-Z0-9:/-]+$': 'arn:aws:gamelift:us-east-1::gamesession/fleet-1/session-1',
  '^[a-zA-Z0-9:_/-]*(.fifo)?$': 'arn:aws:sns:us-east-1:123456789012:match_events',
};

/** AWS validates patterns as a whole-value match (see schemas.ts). */
const fullMatch = (pattern: string) => new RegExp(`^(?:${pattern})$`);

/** Published rules the model doesn't carry, which the schemas enforce on purpose. */
const PLAYER = id('Player');
const ATTRIBUTE_VALUE = id('AttributeValue');
const ONE_OF_MEMBERS: Record<string, string[]> = { [ATTRIBUTE_VALUE]: ['S', 'N', 'SL', 'SDM'] };
function serviceRequiredMembers(structureId: string, operation: GameLiftOperation): string[] {
  if (structureId === PLAYER) return operation === 'StartMatchBackfill' ? ['PlayerId', 'Team'] : ['PlayerId'];
  return [];
}

type Json = string | number | boolean | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

describeWithShared(
  'GameLift input schemas conform to the Smithy model',
  ['specs', 'gamelift-2015-10-01.smithy.json'],
  (modelPath) => {
    const model = SmithyModel.load(modelPath);

    function traitsAt(step: Step, parentStructure?: string): Record<string, unknown> {
      if (step.kind === 'member') {
        const reference = model.shape(step.structureId).members?.[step.name];
        if (!reference) throw new Error(`no member ${step.name} in ${parentStructure ?? step.structureId}`);
        return model.effectiveTraits(reference);
      }
      return model.traitsOf(step.shapeId);
    }

    function sampleString(traits: Record<string, unknown>): string {
      const pattern = traits[TRAIT.pattern];
      const length = (traits[TRAIT.length] ?? {}) as { min?: number; max?: number };
      const sample =
        typeof pattern === 'string' ? SAMPLE_BY_PATTERN[pattern] : 'x'.repeat(Math.max(1, length.min ?? 1));
      if (sample === undefined)
        throw new Error(`no sample for pattern ${String(pattern)}: add one to SAMPLE_BY_PATTERN`);
      return sample;
    }

    /** The smallest valid value of a shape: required members only, one element per required list. */
    function minimalValue(
      shapeId: string,
      traits: Record<string, unknown>,
      operation: GameLiftOperation,
    ): Json {
      const type = model.shapeType(shapeId);
      switch (type) {
        case 'string':
          return sampleString(traits);
        case 'integer':
        case 'long': {
          const range = (traits[TRAIT.range] ?? {}) as { min?: number; max?: number };
          return range.min ?? Math.min(1, range.max ?? 1);
        }
        case 'double':
        case 'float':
          return 1.5;
        case 'boolean':
          return true;
        case 'enum':
          return model.enumValues(shapeId)[0]!;
        case 'list': {
          const member = model.shape(shapeId).member!;
          return [minimalValue(member.target, model.effectiveTraits(member), operation)];
        }
        case 'map': {
          const shape = model.shape(shapeId);
          const key = sampleString(model.effectiveTraits(shape.key!));
          return { [key]: minimalValue(shape.value!.target, model.effectiveTraits(shape.value!), operation) };
        }
        case 'structure': {
          const structure: JsonObject = {};
          const oneOf = ONE_OF_MEMBERS[shapeId];
          const members = model.shape(shapeId).members ?? {};
          for (const [name, reference] of Object.entries(members)) {
            const traits = model.effectiveTraits(reference);
            const required =
              traits[TRAIT.required] !== undefined ||
              serviceRequiredMembers(shapeId, operation).includes(name) ||
              oneOf?.[0] === name;
            if (required) structure[name] = minimalValue(reference.target, traits, operation);
          }
          return structure;
        }
        default:
          throw new Error(`no minimal value for ${shapeId} (${type})`);
      }
    }

    /** A constraint's place in the request: the container holding the value and how to set it. */
    interface Placement {
      container: JsonObject | Json[];
      slot: string | number;
      /** The JSON path of the value, as zod reports it. */
      jsonPath: (string | number)[];
    }

    /**
     * Builds a minimal valid input in which the value at `steps` exists (optional members on the
     * way are filled in minimally), and says where that value sits.
     */
    function inputReaching(
      operation: GameLiftOperation,
      steps: Step[],
    ): { input: JsonObject; placement: Placement } {
      const rootId = model.operationInputId(NAMESPACE, operation);
      const input = minimalValue(rootId, {}, operation) as JsonObject;
      let current: Json = input;
      let placement: Placement | undefined;
      const jsonPath: (string | number)[] = [];
      for (const step of steps) {
        const traits = traitsAt(step);
        if (step.kind === 'member') {
          const structure = current as JsonObject;
          const oneOf = ONE_OF_MEMBERS[step.structureId];
          if (oneOf) for (const other of oneOf) if (other !== step.name) delete structure[other];
          if (structure[step.name] === undefined)
            structure[step.name] = minimalValue(step.shapeId, traits, operation);
          jsonPath.push(step.name);
          placement = { container: structure, slot: step.name, jsonPath: [...jsonPath] };
          current = structure[step.name]!;
        } else if (step.kind === 'listMember') {
          const list = current as Json[];
          jsonPath.push(0);
          placement = { container: list, slot: 0, jsonPath: [...jsonPath] };
          current = list[0]!;
        } else if (step.kind === 'mapValue') {
          const map = current as JsonObject;
          const key = Object.keys(map)[0]!;
          jsonPath.push(key);
          placement = { container: map, slot: key, jsonPath: [...jsonPath] };
          current = map[key]!;
        } else {
          // A key is not a value slot; the caller re-keys the map (placement stays on the map).
          break;
        }
      }
      if (!placement) throw new Error('a constraint must sit below the input structure');
      return { input, placement };
    }

    /** AWS's path for a JSON path: lowerCamel members, `N.member` for list items, `key.member` for map entries. */
    function awsPath(steps: Step[], jsonPath: (string | number)[]): string {
      const parts: string[] = [];
      steps.forEach((step, index) => {
        const segment = jsonPath[index];
        if (segment === undefined) return;
        if (step.kind === 'member') parts.push(step.name.charAt(0).toLowerCase() + step.name.slice(1));
        else if (step.kind === 'listMember') parts.push(String(Number(segment) + 1), 'member');
        else if (step.kind === 'mapValue') parts.push(String(segment), 'member');
      });
      return parts.join('.');
    }

    function phrase(site: ConstraintSite): string {
      switch (site.kind) {
        case 'required':
          return 'Member must not be null';
        case 'maxLength':
          return `Member must have length less than or equal to ${site.bound}`;
        case 'minLength':
          return `Member must have length greater than or equal to ${site.bound}`;
        case 'maxValue':
          return `Member must have value less than or equal to ${site.bound}`;
        case 'minValue':
          return `Member must have value greater than or equal to ${site.bound}`;
        case 'pattern':
          return `Member must satisfy regular expression pattern: ${site.pattern!.replace(/^\^/, '').replace(/\$$/, '')}`;
        case 'enum':
          return `Member must satisfy enum value set: [${site.enumValues!.join(', ')}]`;
      }
    }

    /** A value breaking exactly this constraint (and, where the model allows, nothing else). */
    function violatingValue(site: ConstraintSite, valid: Json): Json | undefined {
      const bound = site.bound ?? 0;
      const last = site.steps.at(-1)!;
      const type = model.shapeType(last.shapeId);
      const pattern = traitsAt(last)[TRAIT.pattern];
      const filler = (count: number) => {
        const value = 'a'.repeat(count);
        if (typeof pattern === 'string' && count > 0 && !fullMatch(pattern).test(value)) {
          throw new Error(`filler doesn't satisfy ${pattern}; the violation would not be isolated`);
        }
        return value;
      };
      switch (site.kind) {
        case 'required':
          return undefined;
        case 'maxLength':
          if (type === 'list') return Array.from({ length: bound + 1 }, () => (valid as Json[])[0]!);
          return filler(bound + 1);
        case 'minLength':
          if (type === 'list') return [];
          return filler(bound - 1);
        case 'maxValue':
          return bound + 1;
        case 'minValue':
          return bound - 1;
        case 'pattern':
          return 'not valid!';
        case 'enum':
          return 'NOT_AN_ENUM_VALUE';
      }
    }

    let checked = 0;
    let expectedChecks = 0;
    let structuresCompared = 0;

    describe.each(OPERATIONS)('%s', (operation) => {
      const rootId = model.operationInputId(NAMESPACE, operation);

      it('accepts the minimal input built from the model', () => {
        const result = parseOperationInput(operation, minimalValue(rootId, {}, operation));
        expect(result).toEqual(expect.objectContaining({ ok: true }));
      });

      const sites = model
        .constraints(rootId)
        // A minimum length of 0 can't be broken.
        .filter((site) => !(site.kind === 'minLength' && site.bound === 0));
      expectedChecks += sites.length;

      it.each(sites.map((site) => [describeSite(site), site] as const))(
        'rejects a broken %s',
        (_title, site) => {
          const { input, placement } = inputReaching(operation, site.steps);
          const last = site.steps.at(-1)!;
          const position = last.kind;
          const collectionSteps = position === 'member' ? site.steps : site.steps.slice(0, -1);
          const { container, slot } = placement;

          // The untouched input must be valid, or a rejection below would prove nothing.
          const accepted = parseOperationInput(operation, structuredClone(input));
          expect(accepted).toEqual(expect.objectContaining({ ok: true }));

          const slots = container as Record<string | number, Json>;
          if (position === 'mapKey') {
            const map = slots[slot] as JsonObject;
            const [key, value] = Object.entries(map)[0]!;
            const badKey = violatingValue(site, key);
            if (typeof badKey !== 'string') throw new Error('a map key violation must be a string');
            delete map[key];
            map[badKey] = value!;
          } else {
            const bad = violatingValue(site, slots[slot]!);
            if (bad === undefined) delete slots[slot];
            else slots[slot] = bad;
          }
          const result = parseOperationInput(operation, input);
          expect(result.ok).toBe(false);
          if (result.ok) return;

          const constraint = phrase(site);
          const jsonPathToCollection = placement.jsonPath.slice(
            0,
            position === 'member' || position === 'mapKey' ? undefined : -1,
          );
          const path = awsPath(collectionSteps, jsonPathToCollection);
          const wrapped =
            position === 'listMember'
              ? `Member must satisfy constraint: [`
              : position === 'mapKey'
                ? `Map keys must satisfy constraint: [`
                : position === 'mapValue' && !isStructure(last.shapeId)
                  ? `Map value must satisfy constraint: [`
                  : '';
          expect(result.message).toMatch(/^\d+ validation errors? detected: /);
          expect(result.message).toContain(` at '${path}' failed to satisfy constraint: ${wrapped}`);
          expect(result.message).toContain(constraint);
          checked += 1;
        },
      );

      it('has exactly the model members in every structure', () => {
        for (const structure of model.structures(rootId)) {
          const schema = schemaAt(operationInputSchemas[operation], structure.steps);
          expect({ structure: structure.structureId, members: Object.keys(schema.shape).sort() }).toEqual({
            structure: structure.structureId,
            members: [...structure.memberNames].sort(),
          });
          structuresCompared += 1;
        }
      });
    });

    // Declared last, so it runs after every check above (jest runs a file's tests in order).
    it('checked every constraint site and structure, and enough of them to mean something', () => {
      expect(checked).toBe(expectedChecks);
      expect(checked).toBeGreaterThanOrEqual(120);
      // 13 inputs plus Player, AttributeValue, Tag and GameProperty where they occur: 21 in all.
      expect(structuresCompared).toBeGreaterThanOrEqual(21);
    });

    function isStructure(shapeId: string): boolean {
      return model.shapeType(shapeId) === 'structure';
    }

    function describeSite(site: ConstraintSite): string {
      const path = site.steps
        .map((step) =>
          step.kind === 'member'
            ? step.name
            : step.kind === 'listMember'
              ? '[]'
              : step.kind === 'mapKey'
                ? '{key}'
                : '{value}',
        )
        .join('.');
      const detail = site.bound !== undefined ? ` ${site.bound}` : site.pattern ? ` ${site.pattern}` : '';
      return `${path}: ${site.kind}${detail}`;
    }
  },
);

/** Unwraps optional/preprocess wrappers to reach the schema doing the work. */
function unwrap(schema: z.ZodMiniType): z.ZodMiniType {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodMiniOptional) current = current._zod.def.innerType as z.ZodMiniType;
    else if (current instanceof z.ZodMiniPipe) current = current._zod.def.out as z.ZodMiniType;
    else return current;
  }
}

function schemaAt(root: z.ZodMiniType, steps: Step[]): z.ZodMiniObject {
  let current = unwrap(root);
  for (const step of steps) {
    if (step.kind === 'member' && current instanceof z.ZodMiniObject)
      current = unwrap(current.shape[step.name] as z.ZodMiniType);
    else if (step.kind === 'listMember' && current instanceof z.ZodMiniArray)
      current = unwrap(current._zod.def.element as z.ZodMiniType);
    else if (step.kind === 'mapValue' && current instanceof z.ZodMiniRecord)
      current = unwrap(current._zod.def.valueType as z.ZodMiniType);
    else
      throw new Error(
        `the schema has no ${step.kind} ${'name' in step ? step.name : ''} where the model has one`,
      );
  }
  if (!(current instanceof z.ZodMiniObject))
    throw new Error('the model has a structure where the schema has none');
  return current;
}
