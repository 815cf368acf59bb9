import { MAX_RULE_SET_BODY_LENGTH, parseRuleSetJson } from '../../../lambdas/engine/rules';
import { lineAndColumn } from '../../../lambdas/engine/rules/parse';

describe('parseRuleSetJson', () => {
  it('tolerates line and block comments', () => {
    const result = parseRuleSetJson('{\n  // why\n  "a": /* inline */ 1\n}');
    expect(result).toEqual({ ok: true, value: { a: 1 } });
  });

  it('rejects duplicate keys, naming the JSON path of each', () => {
    const result = parseRuleSetJson(
      '{"expansions": [{"target": "x", "steps": [], "target": "y"}], "rules": [{}, {"name": "a", "name": "b"}], "rules": []}',
    );
    expect(result).toEqual({
      ok: false,
      problems: [
        { path: 'expansions[0].target', message: 'duplicate key' },
        { path: 'rules[1].name', message: 'duplicate key' },
        { path: 'rules', message: 'duplicate key' },
      ],
    });
  });

  it('quotes keys that are not identifiers in paths', () => {
    const result = parseRuleSetJson('{"odd key": {"x": 1, "x": 2}}');
    expect(result).toEqual({ ok: false, problems: [{ path: '["odd key"].x', message: 'duplicate key' }] });
  });

  it('keeps a __proto__ key as data', () => {
    const result = parseRuleSetJson('{"__proto__": {"polluted": true}}');
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(Object.keys(result.value as object)).toEqual(['__proto__']);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }
  });

  it('reports syntax errors with line:column', () => {
    const result = parseRuleSetJson('{\n  "a": 1\n  "b": 2\n}');
    expect(result).toEqual({
      ok: false,
      problems: [{ path: '', message: "syntax error at 3:3: ',' expected" }],
    });
  });

  it('rejects trailing commas', () => {
    const result = parseRuleSetJson('{"a": [1, 2,]}');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]?.message).toMatch(/^syntax error at 1:13: /);
  });

  it('enforces the body length limits', () => {
    expect(parseRuleSetJson('')).toEqual({
      ok: false,
      problems: [{ path: '', message: 'length must be between 1 and 65535 characters (got 0)' }],
    });
    const tooLong = `{"name": "${'x'.repeat(MAX_RULE_SET_BODY_LENGTH)}"}`;
    expect(parseRuleSetJson(tooLong).ok).toBe(false);
    const justRight = `{"n": "${'x'.repeat(MAX_RULE_SET_BODY_LENGTH - 9)}"}`;
    expect(justRight.length).toBe(MAX_RULE_SET_BODY_LENGTH);
    expect(parseRuleSetJson(justRight).ok).toBe(true);
  });

  it('counts lines across \\n, \\r\\n and \\r', () => {
    expect(lineAndColumn('a\r\nb\rc\nd', 7)).toEqual({ line: 4, column: 1 });
    expect(lineAndColumn('abc', 2)).toEqual({ line: 1, column: 3 });
  });
});
