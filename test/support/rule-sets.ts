/** A 2v2 rule set with one team-skill distance rule: the API tests' common configuration. */
export const twoVersusTwoSkill = JSON.stringify({
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
      maxDistance: 10,
    },
  ],
});
