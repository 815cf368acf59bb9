import fc from 'fast-check';
import { sortIndicesByKeys, stableOrderByKey } from '../../../lambdas/engine/matching/sorting';

/** Column values with many ties and an infinite value, as distances and flags have. */
const keyValue = fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constant(Number.POSITIVE_INFINITY));

describe('the pass sorting helpers', () => {
  it('sortIndicesByKeys orders indices like a stable sort on the columns compared in turn', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1 }), keyValue, keyValue), { maxLength: 90 }),
        fc.integer({ min: 1, max: 3 }),
        (rows, columnsUsed) => {
          const first = new Uint8Array(rows.map((row) => row[0]));
          const second = new Float64Array(rows.map((row) => row[1]));
          const third = new Float64Array(rows.map((row) => row[2]));
          const columns = [first, columnsUsed > 1 ? second : undefined, columnsUsed > 2 ? third : undefined];
          const compare = (left: number, right: number): number => {
            for (const column of columns) {
              const a = column === undefined ? 0 : (column[left] as number);
              const b = column === undefined ? 0 : (column[right] as number);
              if (a !== b) return a < b ? -1 : 1;
            }
            return 0;
          };
          // Reversed, so equal keys must keep this order rather than the indices' natural one.
          const list = rows.map((_, index) => rows.length - 1 - index);
          const expected = [...list].sort(compare);
          sortIndicesByKeys(list, first, columns[1], columns[2], compare);
          expect(list).toEqual(expected);
        },
      ),
    );
  });

  it('stableOrderByKey orders indices by key, equal keys in their given order', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.integer({ min: -3, max: 3 }),
            fc.double({ noNaN: true }),
            fc.constant(Number.POSITIVE_INFINITY),
          ),
          { maxLength: 60 },
        ),
        (values) => {
          const keys = new Float64Array(values);
          const indices = Int32Array.from(values.map((_, index) => values.length - 1 - index));
          const expected = [...indices].sort((left, right) => {
            const a = (keys[left] as number) + 0;
            const b = (keys[right] as number) + 0;
            return a === b ? 0 : a < b ? -1 : 1;
          });
          expect([...stableOrderByKey(indices, keys)]).toEqual(expected);
        },
      ),
    );
  });
});
