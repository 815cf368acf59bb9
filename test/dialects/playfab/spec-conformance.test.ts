import { PLAYFAB_ERRORS } from '../../../lambdas/dialects/playfab/envelope';
import {
  BACKFILL_TICKET_STATUSES,
  CANCELLATION_REASONS,
  MATCHMAKING_TICKET_STATUSES,
  PLAYFAB_OPERATIONS,
  type PlayFabOperation,
  requestDatatypeSchemas,
  requestSchemas,
  responseFields,
  resultDatatypeNames,
} from '../../../lambdas/dialects/playfab/schemas';
import { compileQueueConfig } from '../../../lambdas/engine/queues/compile';
import {
  datatype,
  exampleFor,
  loadPlayFabSpec,
  matchCalls,
  PLAYFAB_SPEC_PARTS,
  type PlayFabSpec,
  reachableDatatypes,
  specProblems,
  valueFor,
  wrongTypeFor,
} from '../../support/playfab-spec';
import { describeWithShared } from '../../support/shared';

function propertyNames(spec: PlayFabSpec, name: string): string[] {
  return (datatype(spec, name).properties ?? []).map((property) => property.name).sort();
}

function schemaFor(name: string) {
  const schema = requestDatatypeSchemas[name];
  if (schema === undefined) throw new Error(`no schema for request datatype ${name}`);
  return schema;
}

/** The request examples in the spec that are placeholders (`{}` or `[null]` where an object is required, an empty required list). */
const PLACEHOLDER_EXAMPLES = new Set<PlayFabOperation>([
  'CreateMatchmakingTicket',
  'CreateServerBackfillTicket',
  'CreateServerMatchmakingTicket',
  'JoinMatchmakingTicket',
  'SubscribeToMatchmakingResource',
  'UnsubscribeFromMatchmakingResource',
]);

describeWithShared(
  'PlayFab dialect against the official Multiplayer API spec',
  PLAYFAB_SPEC_PARTS,
  (path) => {
    const spec = loadPlayFabSpec(path);
    const calls = matchCalls(spec);
    const requestTypes = reachableDatatypes(
      spec,
      calls.map((call) => call.request),
    );
    const resultTypes = reachableDatatypes(
      spec,
      calls.map((call) => call.result),
    );

    it('covers exactly the /Match/* calls of the spec, with their result datatypes', () => {
      expect([...PLAYFAB_OPERATIONS].sort()).toEqual(calls.map((call) => call.name).sort());
      for (const call of calls) {
        const operation = call.name as PlayFabOperation;
        expect(requestSchemas[operation]).toBe(requestDatatypeSchemas[call.request]);
        expect(resultDatatypeNames[operation]).toBe(call.result);
      }
    });

    describe.each(requestTypes)('request datatype %s', (name) => {
      const schema = schemaFor(name);
      const properties = datatype(spec, name).properties ?? [];

      it('has exactly the spec properties', () => {
        expect(Object.keys(schema.shape).sort()).toEqual(propertyNames(spec, name));
      });

      it('accepts an example generated from the spec datatypes', () => {
        const result = schema.safeParse(exampleFor(spec, name));
        expect(result.error?.issues ?? []).toEqual([]);
      });

      if (properties.length === 0) return;

      it.each(properties.map((property) => [property.name, property] as const))(
        '%s: required-ness and JSON type as in the spec',
        (_name, property) => {
          const example = exampleFor(spec, name);
          const without = { ...example };
          delete without[property.name];
          expect(schema.safeParse(without).success).toBe(property.optional === true);
          // null on an optional member means absent.
          if (property.optional)
            expect(schema.safeParse({ ...example, [property.name]: null }).success).toBe(true);
          expect(schema.safeParse({ ...example, [property.name]: wrongTypeFor(property) }).success).toBe(
            false,
          );
          if (property.collection === 'array') {
            const wrongElement = wrongTypeFor({ ...property, collection: undefined });
            expect(schema.safeParse({ ...example, [property.name]: [wrongElement] }).success).toBe(false);
          }
          const enumType = spec.datatypes[property.actualtype];
          if (enumType?.isenum) {
            for (const value of enumType.enumvalues ?? []) {
              const single = property.collection === 'array' ? [value.name] : value.name;
              expect(schema.safeParse({ ...example, [property.name]: single }).success).toBe(true);
            }
            expect(schema.safeParse({ ...example, [property.name]: 'NotAValue' }).success).toBe(false);
          }
          // The generated value for the property alone is valid too (sanity of the generator).
          expect(
            schema.safeParse({ ...example, [property.name]: valueFor(spec, name, property) }).success,
          ).toBe(true);
        },
      );
    });

    it('lists every response datatype with exactly the spec fields', () => {
      for (const name of resultTypes) {
        const fields = responseFields[name] ?? Object.keys(requestDatatypeSchemas[name]?.shape ?? {});
        expect({ name, fields: [...fields].sort() }).toEqual({ name, fields: propertyNames(spec, name) });
      }
      // No field list for a datatype the spec does not have.
      for (const name of Object.keys(responseFields)) expect(resultTypes).toContain(name);
    });

    it('uses the spec status strings and cancellation reasons', () => {
      const statusesIn = (typeName: string): string[] => {
        const status = (datatype(spec, typeName).properties ?? []).find(
          (property) => property.name === 'Status',
        );
        const listed = /Possible values are: ([^.]+)\./.exec(status?.description ?? '')?.[1] ?? '';
        return listed
          .split(/,| and /)
          .map((value) => value.trim())
          .filter((value) => value !== '');
      };
      expect([...MATCHMAKING_TICKET_STATUSES]).toEqual(statusesIn('GetMatchmakingTicketResult'));
      expect([...BACKFILL_TICKET_STATUSES]).toEqual(statusesIn('GetServerBackfillTicketResult'));
      expect([...CANCELLATION_REASONS]).toEqual(
        (datatype(spec, 'CancellationReason').enumvalues ?? []).map((value) => value.name),
      );
    });

    it('uses the spec error names and codes, and knows every error a /Match/* call lists', () => {
      for (const [name, info] of Object.entries(PLAYFAB_ERRORS)) {
        expect({ name, code: spec.errors[name]?.id }).toEqual({ name, code: info.errorCode });
      }
      const listed = new Set(calls.flatMap((call) => call.errors ?? []));
      for (const name of listed) expect(Object.keys(PLAYFAB_ERRORS)).toContain(name);
    });

    it('accepts every complete request example of the spec, and the placeholders fail for the placeholders', () => {
      const failing: string[] = [];
      for (const call of calls) {
        if (call.requestExample === undefined) continue;
        const result = requestSchemas[call.name as PlayFabOperation].safeParse(
          JSON.parse(call.requestExample),
        );
        if (!result.success) failing.push(call.name);
      }
      expect(failing.sort()).toEqual([...PLACEHOLDER_EXAMPLES].sort());
    });

    it('compiles the queue of the spec SetMatchmakingQueue example (all eight rule kinds)', () => {
      const call = calls.find((each) => each.name === 'SetMatchmakingQueue');
      const request = requestSchemas.SetMatchmakingQueue.parse(JSON.parse(call?.requestExample ?? '{}'));
      const program = compileQueueConfig(request.MatchmakingQueue);
      expect(program.matchRules.map((rule) => rule.sourceType)).toEqual(
        expect.arrayContaining([
          'DifferenceRule',
          'StringEqualityRule',
          'MatchTotalRule',
          'SetIntersectionRule',
          'RegionSelectionRule',
          'TeamDifferenceRule',
          'TeamSizeBalanceRule',
          'TeamTicketSizeSimilarityRule',
        ]),
      );
    });

    it('validateAgainstSpec accepts the spec result examples and names what is wrong otherwise', () => {
      for (const call of calls) {
        if (call.resultExample === undefined || call.resultExample === '') continue;
        const envelope = JSON.parse(call.resultExample) as { data: unknown };
        expect({ call: call.name, problems: specProblems(spec, call.result, envelope.data) }).toEqual({
          call: call.name,
          problems: [],
        });
      }
      expect(
        specProblems(spec, 'GetMatchmakingTicketResult', {
          TicketId: 't',
          QueueName: 'q',
          Created: 'yesterday',
          Creator: { Id: 'p', Type: 'title_player_account' },
          GiveUpAfterSeconds: 1.5,
          Members: [{ Entity: {} }],
          Status: 'Matched',
          CancellationReason: 'Bored',
          Extra: 1,
        }),
      ).toEqual([
        'GetMatchmakingTicketResult.Extra: not a property of GetMatchmakingTicketResult',
        'GetMatchmakingTicketResult.CancellationReason: "Bored" is not one of Requested, Internal, Timeout',
        'GetMatchmakingTicketResult.Created: expected a date-time string, got "yesterday"',
        'GetMatchmakingTicketResult.GiveUpAfterSeconds: expected an integer (int32), got 1.5',
        'GetMatchmakingTicketResult.Members[0].Entity.Id: required by EntityKey, missing',
      ]);
    });
  },
);
