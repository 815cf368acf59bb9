import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileRuleSet, validateRuleSetBody } from '../../../lambdas/engine/rules';
import { describeWithShared } from '../../support/shared';

/** Expected outcome per published rule set; anything not listed here must be valid. */
const EXPECTED_INVALID: Record<string, Array<{ path: string; message: string }>> = {
  '07-large-match.json': [
    { path: 'expansions[0].target', message: 'duplicate key' },
    { path: 'expansions[0].steps', message: 'duplicate key' },
  ],
};

describeWithShared('FlexMatch published rule sets', ['conformance', 'flexmatch-rulesets'], (dir) => {
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort();

  it('finds the published examples', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
    expect(files).toContain('07-large-match.json');
  });

  it.each(files)('%s', (file) => {
    const result = validateRuleSetBody(readFileSync(join(dir, file), 'utf8'));
    const expected = EXPECTED_INVALID[file];
    if (expected === undefined) {
      expect(result).toMatchObject({ valid: true });
      if (result.valid) {
        const program = compileRuleSet(result.ruleSet);
        expect(program.teamSlots.length).toBeGreaterThan(0);
      }
    } else {
      expect(result.valid).toBe(false);
      if (!result.valid) expect(result.problems).toEqual(expected);
    }
  });

  it('compiles the large multi-team example into 11 slots with the large-match flag', () => {
    const result = validateRuleSetBody(readFileSync(join(dir, '08-multi-team-large-match.json'), 'utf8'));
    if (!result.valid) throw new Error('08 should be valid');
    const program = compileRuleSet(result.ruleSet);
    expect(program.algorithm.largeMatch).toBe(true);
    expect(program.teamSlots.map((slot) => slot.name)).toEqual([
      'Monsters',
      ...Array.from({ length: 10 }, (_, index) => `Hunters_${index + 1}`),
    ]);
    expect(program.totalMaxPlayers).toBe(155);
  });
});
