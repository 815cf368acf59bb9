import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { projectRoot } from '../../lib/project-root';
import { SlotfillStack, type SlotfillStackProps } from '../../lib/slotfill-stack';

/**
 * Helpers shared by the CDK assertion tests (stack.test.ts, matchmaker.test.ts). Not a test
 * file itself: jest only runs `*.test.ts`.
 */

/** The feature flags of cdk.json, so the tests see the template `cdk synth` produces. */
export const cdkJsonContext = (
  JSON.parse(readFileSync(join(projectRoot, 'cdk.json'), 'utf8')) as { context: object }
).context;

export interface Synthesized {
  stack: SlotfillStack;
  template: Template;
  /** Unacknowledged cdk-nag findings of any severity, as `rule (severity) at path`. */
  nagFindings: string[];
  /** Error annotations CDK itself attached while synthesizing. */
  cdkErrors: string[];
}

/**
 * Synthesizes with cdk-nag registered the way bin/app.ts registers it. `bundle: false` skips
 * esbuild (CDK's bundling-stacks context), for variants whose Lambda code is not under test.
 *
 * cdk-nag 3 is a CDK validation plugin: it no longer writes Annotations (so
 * `Annotations.findError('AwsSolutions-*')` would find nothing whatever the stack holds).
 * Its findings come from `validateScope`, which honours the same acknowledgments as synth.
 */
export function synthesize(props: SlotfillStackProps = {}, bundle = true): Synthesized {
  const context: Record<string, unknown> = { ...cdkJsonContext };
  if (!bundle) context['aws:cdk:bundling-stacks'] = [];
  const app = new App({ context });
  const stack = new SlotfillStack(app, 'Slotfill', props);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const template = Template.fromStack(stack);
  const nagFindings = new AwsSolutionsChecks()
    .validateScope(stack)
    .violations.map(
      (violation) =>
        `${violation.ruleName} (${violation.severity}) at ${violation.violatingResources.map((r) => r.constructPath).join(', ')}`,
    );
  const cdkErrors = Annotations.fromStack(stack)
    .findError('*', Match.anyValue())
    .map((message) => `${message.id}: ${String(message.entry.data)}`);
  return { stack, template, nagFindings, cdkErrors };
}

/** Every cdk-nag acknowledgment in the stack: construct path, rule id, reason. */
export function acknowledgments(stack: SlotfillStack): { path: string; id: string; reason: string }[] {
  return stack.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

export type Resource = {
  Type: string;
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
};

export function resourcesOf(template: Template, type: string): [string, Resource][] {
  return Object.entries(template.findResources(type) as Record<string, Resource>);
}

/** The one resource of `type`; fails the test if there are none or several. */
export function onlyResourceOf(template: Template, type: string): [string, Resource] {
  const found = resourcesOf(template, type);
  if (found.length !== 1) throw new Error(`Expected exactly one ${type}, found ${found.length}`);
  return found[0]!;
}

/** Logical id of the resource a `{Ref}` or `{Fn::GetAtt}` points at. */
export function referencedId(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const ref = (value as { Ref?: unknown }).Ref;
  if (typeof ref === 'string') return ref;
  const getAtt = (value as { 'Fn::GetAtt'?: unknown })['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  return undefined;
}

export function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export type PolicyStatementJson = Record<string, unknown>;

/** Every statement of every AWS::IAM::Policy, with the logical ids of the roles it is attached to. */
export function policyStatements(template: Template): { roles: string[]; statement: PolicyStatementJson }[] {
  return resourcesOf(template, 'AWS::IAM::Policy').flatMap(([, policy]) => {
    const roles = asArray(policy.Properties.Roles).map((role) => referencedId(role) ?? '');
    const document = policy.Properties.PolicyDocument as { Statement: PolicyStatementJson[] };
    return document.Statement.map((statement) => ({ roles, statement }));
  });
}
