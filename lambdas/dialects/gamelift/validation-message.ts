/**
 * AWS-style validation messages, the way GameLift words them in its InvalidRequestException:
 *
 *   1 validation error detected: Value 'abc!' at 'ticketId' failed to satisfy constraint:
 *   Member must satisfy regular expression pattern: [a-zA-Z0-9-\.]*
 *
 * The constraint phrase comes from the schema (schemas.ts puts it in each issue's message); this
 * file adds the value, the AWS path and the count.
 *
 * AWS path conventions: member names in lowerCamelCase (first letter lowered), a list element
 * is `<list>.<1-based index>.member`, a map entry holding a structure is `<map>.<key>.member`.
 * Values of @sensitive members are never printed (`Value at 'players.1.member.playerId'`), and an
 * absent member prints as `Value null`. Values print the way AWS's Java services print them:
 * lists as `[a, b]`, maps and structures as `{k=v}`.
 */
import type * as z from 'zod/mini';
import {
  type GameLiftOperation,
  MAP_MEMBER_NAMES,
  type OperationInput,
  operationInputSchemas,
  SENSITIVE_MEMBER_NAMES,
} from './schemas';

export type ParsedOperationInput<Operation extends GameLiftOperation> =
  | { ok: true; input: OperationInput<Operation> }
  | { ok: false; message: string };

export const NOT_AN_OBJECT_MESSAGE = 'The request body must be a JSON object';

/** Parses and validates one operation's input. Unknown members are dropped. */
export function parseOperationInput<Operation extends GameLiftOperation>(
  operation: Operation,
  body: unknown,
): ParsedOperationInput<Operation> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, message: NOT_AN_OBJECT_MESSAGE };
  }
  // reportInput: the message quotes the offending value, which zod only keeps when asked.
  const result = operationInputSchemas[operation].safeParse(body, { reportInput: true });
  if (!result.success) return { ok: false, message: formatValidationError(result.error) };
  // The record is indexed by the same key, so the data is this operation's input; TypeScript
  // can't relate a generic key to the matching member of the schema union by itself.
  return { ok: true, input: result.data as OperationInput<Operation> };
}

export function formatValidationError(error: z.core.$ZodError): string {
  const details = error.issues.map(describeIssue);
  const count = details.length;
  const heading = count === 1 ? '1 validation error detected' : `${count} validation errors detected`;
  return `${heading}: ${details.join('; ')}`;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const { awsPath, sensitive } = toAwsPath(issue.path);
  const value = describeValue(issue, sensitive);
  const at = awsPath === '' ? '' : ` at '${awsPath}'`;
  return `${value}${at} failed to satisfy constraint: ${issue.message}`;
}

function describeValue(issue: z.core.$ZodIssue, sensitive: boolean): string {
  const reported = 'input' in issue;
  const input = reported ? issue.input : undefined;
  // zod leaves `input` off for an absent member; for any other issue it means the caller
  // parsed without reportInput, and then the value is unknown rather than null.
  if (input === undefined || input === null) {
    return reported || issue.code === 'invalid_type' ? 'Value null' : 'Value';
  }
  return sensitive ? 'Value' : `Value '${printValue(input)}'`;
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function toAwsPath(path: readonly PropertyKey[]): { awsPath: string; sensitive: boolean } {
  const parts: string[] = [];
  let nextIsMapKey = false;
  let lastMemberName: string | undefined;
  for (const segment of path) {
    if (typeof segment === 'number') {
      parts.push(String(segment + 1), 'member');
    } else if (nextIsMapKey) {
      parts.push(String(segment), 'member');
      nextIsMapKey = false;
    } else {
      const name = String(segment);
      parts.push(lowerFirst(name));
      lastMemberName = name;
      nextIsMapKey = MAP_MEMBER_NAMES.has(name);
    }
  }
  return {
    awsPath: parts.join('.'),
    sensitive: lastMemberName !== undefined && SENSITIVE_MEMBER_NAMES.has(lastMemberName),
  };
}

/** How much of a refused value a message echoes: enough to recognise it, never the whole body. */
const MAX_PRINTED_DEPTH = 8;
const MAX_PRINTED_LENGTH = 512;

/**
 * Java's toString conventions, which AWS's messages show. Nesting past MAX_PRINTED_DEPTH prints
 * as `...` (a hostile value can nest deeper than the stack) and long prints are cut.
 */
export function printValue(value: unknown): string {
  const printed = printNested(value, 0);
  return printed.length > MAX_PRINTED_LENGTH ? `${printed.slice(0, MAX_PRINTED_LENGTH)}...` : printed;
}

function printNested(value: unknown, depth: number): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value !== 'object') return String(value);
  if (depth >= MAX_PRINTED_DEPTH) return '...';
  if (Array.isArray(value)) return `[${value.map((entry) => printNested(entry, depth + 1)).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, entry]) => entry !== undefined);
  return `{${entries.map(([key, entry]) => `${key}=${printNested(entry, depth + 1)}`).join(', ')}}`;
}
