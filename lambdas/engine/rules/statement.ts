/**
 * Compound rule statements: `or(and(A, B), not(C))`. Operators are and, or, not, xor; bare
 * names refer to other rules. Names may hold '-' and other characters, so a name runs up to
 * the next parenthesis, comma or whitespace.
 */
import { MAX_EXPRESSION_DEPTH, textNestingDepth } from '../../shared/storage-limits';

export type StatementOperator = 'and' | 'or' | 'not' | 'xor';

export type StatementNode =
  | { kind: 'rule'; name: string; column: number }
  | { kind: 'operator'; operator: StatementOperator; operands: StatementNode[]; column: number };

export type StatementParseResult = { ok: true; node: StatementNode } | { ok: false; message: string };

const OPERATORS: readonly string[] = ['and', 'or', 'not', 'xor'];

class StatementFailure {
  constructor(readonly message: string) {}
}

export function parseCompoundStatement(text: string): StatementParseResult {
  // One recursion per level: deeper text is refused before it can exhaust the stack.
  if (textNestingDepth(text, true) > MAX_EXPRESSION_DEPTH) {
    return {
      ok: false,
      message: `at column 1: nests deeper than ${MAX_EXPRESSION_DEPTH} levels of parentheses`,
    };
  }
  let position = 0;
  const fail = (reason: string, column = position + 1): never => {
    throw new StatementFailure(`at column ${column}: ${reason}`);
  };
  const skipWhitespace = (): void => {
    while (position < text.length && /\s/.test(text.charAt(position))) position++;
  };
  const term = (): StatementNode => {
    skipWhitespace();
    const column = position + 1;
    const start = position;
    while (position < text.length && !/[\s(),]/.test(text.charAt(position))) position++;
    const word = text.slice(start, position);
    if (word === '') {
      fail(
        position >= text.length
          ? 'expected a rule name or operator'
          : `unexpected '${text.charAt(position)}'`,
      );
    }
    skipWhitespace();
    if (text.charAt(position) !== '(') {
      return { kind: 'rule', name: word, column };
    }
    if (!OPERATORS.includes(word)) {
      fail(`unknown operator '${word}' (expected and, or, not, xor)`, column);
    }
    const operator = word as StatementOperator;
    position++;
    const operands = [term()];
    skipWhitespace();
    while (text.charAt(position) === ',') {
      position++;
      operands.push(term());
      skipWhitespace();
    }
    if (text.charAt(position) !== ')') {
      fail("expected ',' or ')'");
    }
    position++;
    if (operator === 'not' && operands.length !== 1) {
      fail('not() takes exactly one operand', column);
    }
    if (operator !== 'not' && operands.length < 2) {
      fail(`${operator}() takes at least two operands`, column);
    }
    return { kind: 'operator', operator, operands, column };
  };
  try {
    const node = term();
    skipWhitespace();
    if (position < text.length) {
      fail(`unexpected '${text.charAt(position)}' after the end of the statement`);
    }
    return { ok: true, node };
  } catch (error) {
    if (error instanceof StatementFailure) {
      return { ok: false, message: error.message };
    }
    throw error;
  }
}

/** Every rule name a statement refers to, with its column. */
export function statementRuleNames(node: StatementNode): Array<{ name: string; column: number }> {
  if (node.kind === 'rule') {
    return [{ name: node.name, column: node.column }];
  }
  return node.operands.flatMap(statementRuleNames);
}
