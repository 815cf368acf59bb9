/** 2v2 with one rule: the two teams' average skills within `maxDistance` of the overall average. */
export function twoVersusTwoRuleSet(maxDistance: number) {
  return {
    name: 'two-teams',
    ruleLanguageVersion: '1.0',
    playerAttributes: [{ name: 'skill', type: 'number', default: 10 }],
    teams: [
      { name: 'red', minPlayers: 2, maxPlayers: 2 },
      { name: 'blue', minPlayers: 2, maxPlayers: 2 },
    ],
    rules: [
      {
        name: 'FairSkill',
        type: 'distance',
        measurements: ['avg(teams[*].players.attributes[skill])'],
        referenceValue: 'avg(flatten(teams[*].players.attributes[skill]))',
        maxDistance,
      },
    ],
  };
}

/** The API tests' common configuration: a 2v2 whose teams must be close in skill. */
export const twoVersusTwoSkill = JSON.stringify(twoVersusTwoRuleSet(10));

/**
 * 1v1, both skills within 100 of each other; after `expandAfterSeconds` of waiting within 600.
 * The console and explanation tests' rule set: one rule that fails by a known amount, and the
 * expansion step that lets it pass.
 */
export function closeSkillDuel(expandAfterSeconds: number, extraRules: object[] = []): object {
  return {
    name: 'duel',
    ruleLanguageVersion: '1.0',
    playerAttributes: [{ name: 'skill', type: 'number', default: 1000 }],
    teams: [
      { name: 'red', minPlayers: 1, maxPlayers: 1 },
      { name: 'blue', minPlayers: 1, maxPlayers: 1 },
    ],
    rules: [
      {
        name: 'CloseSkill',
        type: 'distance',
        measurements: ['max(flatten(teams[*].players.attributes[skill]))'],
        referenceValue: 'min(flatten(teams[*].players.attributes[skill]))',
        maxDistance: 100,
      },
      ...extraRules,
    ],
    expansions: [
      {
        target: 'rules[CloseSkill].maxDistance',
        steps: [{ waitTimeSeconds: expandAfterSeconds, value: 600 }],
      },
    ],
  };
}
