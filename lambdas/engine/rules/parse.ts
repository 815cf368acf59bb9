import { type Node, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { MAX_JSON_DEPTH, textNestingDepth } from '../../shared/storage-limits';
import { childPath, type RuleSetProblem } from './problems';

/** RuleSetBody length limits from the GameLift API model. */
export const MIN_RULE_SET_BODY_LENGTH = 1;
export const MAX_RULE_SET_BODY_LENGTH = 65535;

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export type JsonParseResult = { ok: true; value: JsonValue } | { ok: false; problems: RuleSetProblem[] };

// Readable wording for jsonc-parser's error codes (its own names are CamelCase identifiers).
const SYNTAX_MESSAGES: Readonly<Record<string, string>> = {
  InvalidSymbol: 'invalid symbol',
  InvalidNumberFormat: 'invalid number format',
  PropertyNameExpected: 'property name expected',
  ValueExpected: 'value expected',
  ColonExpected: "':' expected",
  CommaExpected: "',' expected",
  CloseBraceExpected: "'}' expected",
  CloseBracketExpected: "']' expected",
  EndOfFileExpected: 'end of input expected',
  InvalidCommentToken: 'invalid comment',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character',
};

/** 1-based line and column of a character offset, counting \n, \r\n and \r as line breaks. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < offset && index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (char === 10 || (char === 13 && text.charCodeAt(index + 1) !== 10)) {
      line++;
      lineStart = index + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Parses a rule set body. FlexMatch's published examples carry `//` comments although the API
 * forbids them, so comments are tolerated; trailing commas are not. Duplicate keys are rejected
 * because a plain JSON parser silently keeps the last one (conformance example 07 loses a whole
 * expansion that way), and a rule set that means something other than it says is worse than
 * an error.
 */
export function parseRuleSetJson(body: string): JsonParseResult {
  if (body.length < MIN_RULE_SET_BODY_LENGTH || body.length > MAX_RULE_SET_BODY_LENGTH) {
    return {
      ok: false,
      problems: [
        {
          path: '',
          message: `length must be between ${MIN_RULE_SET_BODY_LENGTH} and ${MAX_RULE_SET_BODY_LENGTH} characters (got ${body.length})`,
        },
      ],
    };
  }
  // jsonc-parser recurses once per level: deeper text is refused before it can exhaust the stack.
  if (textNestingDepth(body) > MAX_JSON_DEPTH) {
    return {
      ok: false,
      problems: [{ path: '', message: `nests deeper than ${MAX_JSON_DEPTH} levels of objects and arrays` }],
    };
  }
  const errors: ParseError[] = [];
  const root = parseTree(body, errors, {
    allowTrailingComma: false,
    disallowComments: false,
    allowEmptyContent: false,
  });
  if (errors.length > 0 || root === undefined) {
    const problems = errors.map((error) => {
      const { line, column } = lineAndColumn(body, error.offset);
      return {
        path: '',
        message: `syntax error at ${line}:${column}: ${SYNTAX_MESSAGES[printParseErrorCode(error.error)] ?? printParseErrorCode(error.error)}`,
      };
    });
    if (problems.length === 0) {
      problems.push({ path: '', message: 'syntax error at 1:1: value expected' });
    }
    return { ok: false, problems };
  }
  const problems: RuleSetProblem[] = [];
  const value = nodeToValue(root, '', problems);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value };
}

function nodeToValue(node: Node, path: string, problems: RuleSetProblem[]): JsonValue {
  switch (node.type) {
    case 'object': {
      const result: JsonObject = {};
      const seen = new Set<string>();
      for (const property of node.children ?? []) {
        const [keyNode, valueNode] = property.children ?? [];
        if (keyNode === undefined || typeof keyNode.value !== 'string') {
          continue;
        }
        const key: string = keyNode.value;
        const propertyPath = childPath(path, key);
        if (seen.has(key)) {
          problems.push({ path: propertyPath, message: 'duplicate key' });
          continue;
        }
        seen.add(key);
        const value = valueNode === undefined ? null : nodeToValue(valueNode, propertyPath, problems);
        // defineProperty, not assignment: a key named "__proto__" must stay an ordinary key.
        Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
      }
      return result;
    }
    case 'array':
      return (node.children ?? []).map((child, index) =>
        nodeToValue(child, childPath(path, index), problems),
      );
    case 'string':
      return String(node.value);
    case 'number':
      return Number(node.value);
    case 'boolean':
      return node.value === true;
    default:
      return null;
  }
}
