import { workMessageOf } from '../../lambdas/handlers/sqs-work-queue';
import { unitsOf } from '../../lambdas/usecases/matchmaker';

/**
 * The worker's reading of a work message: what the dispatcher sends comes back unchanged, and
 * anything else is refused (the worker drops it, since retrying cannot mend a body).
 */
describe('workMessageOf', () => {
  it('reads back every unit the dispatcher sends, whole pools and split ones', () => {
    for (const split of [1, 2, 4]) {
      for (const unit of unitsOf('pf:queue', split)) {
        expect(workMessageOf(JSON.stringify(unit))).toEqual(unit);
      }
    }
  });

  it('reads a message from before pools were split as the whole pool', () => {
    expect(workMessageOf(JSON.stringify({ configurationName: 'config' }))).toEqual({
      configurationName: 'config',
      split: 1,
      part: 0,
    });
    expect(workMessageOf(JSON.stringify({ configurationName: 'config', split: 3 }))).toEqual({
      configurationName: 'config',
      split: 3,
      part: 0,
    });
  });

  it('keeps only the unit, not other members of the body', () => {
    expect(workMessageOf(JSON.stringify({ configurationName: 'c', split: 2, part: 1, extra: true }))).toEqual(
      {
        configurationName: 'c',
        split: 2,
        part: 1,
      },
    );
  });

  it.each([
    ['not JSON', '{"configurationName":'],
    ['not an object', '"config"'],
    ['null', 'null'],
    ['an array', '[{"configurationName":"c"}]'],
    ['no configuration', '{"split":1,"part":0}'],
    ['an empty configuration name', '{"configurationName":""}'],
    ['a configuration name that is not a string', '{"configurationName":7}'],
    ['split 0', '{"configurationName":"c","split":0,"part":0}'],
    ['a fractional split', '{"configurationName":"c","split":1.5,"part":0}'],
    ['a split given as a string', '{"configurationName":"c","split":"2","part":0}'],
    ['a null split', '{"configurationName":"c","split":null}'],
    ['a negative part', '{"configurationName":"c","split":2,"part":-1}'],
    ['a part past the split', '{"configurationName":"c","split":2,"part":2}'],
    ['the merge of a whole pool', '{"configurationName":"c","split":1,"part":"merge"}'],
    ['a part of a whole pool other than 0', '{"configurationName":"c","part":1}'],
    ['an unknown part name', '{"configurationName":"c","split":2,"part":"all"}'],
    ['a split beyond safe integers', `{"configurationName":"c","split":${2 ** 53},"part":0}`],
  ])('refuses %s', (_case, body) => {
    expect(workMessageOf(body)).toBeUndefined();
  });
});
