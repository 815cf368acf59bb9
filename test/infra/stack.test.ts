import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import { gameLiftFunction, playFabFunction, type Route, routeFunctions, routes } from '../../lambdas/routes';
import { tableDefinition } from '../../lambdas/store/table-definition';
import { DEFAULT_THROTTLE, ROUTE_THROTTLES } from '../../lib/constructs/http-api';
import { matchmakerFunctionSpec, matchmakerWorkerFunctionSpec } from '../../lib/constructs/matchmaker';
import {
  acknowledgments,
  asArray,
  type Resource,
  referencedId,
  resourcesOf,
  type Synthesized,
  synthesize,
} from './synthesize';

/** A title's identity provider, as `-c playerTokenIssuer=… -c playerTokenAudience=…` names it. */
const playerTokens = {
  issuer: 'https://login.example-game.com',
  audience: ['example-game', 'example-game-dev'],
};

const routeKey = (route: Pick<Route, 'method' | 'path'>) => `${route.method} ${route.path}`;

/** Every function the stack deploys: one per route-table function, plus the matchmaker. */
const deployedFunctions = (table?: readonly Route[]) => [
  ...routeFunctions(table),
  matchmakerFunctionSpec,
  matchmakerWorkerFunctionSpec,
];

describe('SlotfillStack (real route table, bundled with esbuild)', () => {
  let synthesized: Synthesized;
  let template: Template;

  beforeAll(() => {
    synthesized = synthesize({ playerTokens });
    template = synthesized.template;
  });

  describe('data table', () => {
    it('is built from tableDefinition: keys, pool GSI (ALL), TTL, PITR, on-demand, AWS-managed KMS', () => {
      template.resourceCountIs('AWS::DynamoDB::Table', 1);
      const [, table] = resourcesOf(template, 'AWS::DynamoDB::Table')[0]!;
      const gsis = tableDefinition.globalSecondaryIndexes;
      expect(table.Properties).toMatchObject({
        KeySchema: [
          { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' },
          { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: tableDefinition.timeToLiveAttribute, Enabled: true },
        // SSEEnabled without a key id = KMS with the AWS-managed aws/dynamodb key.
        SSESpecification: { SSEEnabled: true },
        DeletionProtectionEnabled: true,
        GlobalSecondaryIndexes: gsis.map((index) => ({
          IndexName: index.indexName,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      });
      const keyNames: string[] = [
        tableDefinition.partitionKey,
        tableDefinition.sortKey,
        ...gsis.flatMap((index) => [index.partitionKey, index.sortKey]),
      ];
      expect((table.Properties.SSESpecification as Record<string, unknown>).KMSMasterKeyId).toBeUndefined();
      expect(table.Properties.AttributeDefinitions).toEqual(
        expect.arrayContaining(keyNames.map((name) => ({ AttributeName: name, AttributeType: 'S' }))),
      );
    });

    it('is retained when the stack is deleted', () => {
      template.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    });
  });

  describe('functions', () => {
    it('deploys exactly one Lambda per routeFunctions() entry and the matchmaker, configured from its spec', () => {
      const functions = resourcesOf(template, 'AWS::Lambda::Function');
      const specs = deployedFunctions();
      expect(functions).toHaveLength(specs.length);
      for (const spec of specs) {
        const match = functions.filter(([, fn]) => fn.Properties.Description === spec.description);
        expect(match).toHaveLength(1);
        const props = match[0]![1].Properties;
        expect(props).toMatchObject({
          Handler: `index.${spec.exportName}`,
          Architectures: ['arm64'],
          MemorySize: spec.memorySize,
          Timeout: spec.timeoutSeconds,
          TracingConfig: { Mode: 'Active' },
        });
        const runtime = /^nodejs(\d+)\.x$/.exec(String(props.Runtime));
        expect(runtime).not.toBeNull();
        expect(Number(runtime![1])).toBeGreaterThanOrEqual(22);
      }
    });

    it('gives every function the environment the handlers read', () => {
      const [tableId] = resourcesOf(template, 'AWS::DynamoDB::Table')[0]!;
      for (const [, fn] of resourcesOf(template, 'AWS::Lambda::Function')) {
        const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
        expect(variables).toMatchObject({
          TABLE_NAME: { Ref: tableId },
          SLOTFILL_ACCOUNT_ID: { Ref: 'AWS::AccountId' },
          SLOTFILL_REGION: { Ref: 'AWS::Region' },
          POWERTOOLS_SERVICE_NAME: 'slotfill',
          POWERTOOLS_METRICS_NAMESPACE: 'Slotfill',
        });
        // --enable-source-maps would parse the multi-megabyte map on every cold start.
        expect(variables.NODE_OPTIONS).toBeUndefined();
      }
    });

    it('logs every function to its own log group with a retention', () => {
      const logGroups = template.findResources('AWS::Logs::LogGroup') as Record<string, Resource>;
      const used = new Set<string>();
      for (const [, fn] of resourcesOf(template, 'AWS::Lambda::Function')) {
        const groupId = referencedId(
          (fn.Properties.LoggingConfig as { LogGroup?: unknown } | undefined)?.LogGroup,
        );
        expect(groupId).toBeDefined();
        expect(logGroups[groupId!]?.Properties.RetentionInDays).toBe(30);
        expect(logGroups[groupId!]?.DeletionPolicy).toBe('Retain');
        used.add(groupId!);
      }
      expect(used.size).toBe(deployedFunctions().length);
    });
  });

  describe('HTTP API', () => {
    it('has one route per row of the route table: IAM, JWT for players, none where the function authenticates (playfab)', () => {
      const apiRoutes = resourcesOf(template, 'AWS::ApiGatewayV2::Route').map(
        ([, route]) => route.Properties,
      );
      expect(apiRoutes).toHaveLength(routes.length);
      const authorizationTypes = { iam: 'AWS_IAM', playfab: 'NONE', 'player-token': 'JWT' } as const;
      for (const route of routes) {
        expect(apiRoutes).toContainEqual(
          expect.objectContaining({
            RouteKey: routeKey(route),
            AuthorizationType: authorizationTypes[route.auth],
          }),
        );
      }
      // The GameLift dialect (AWS JSON 1.1) lives on POST /.
      expect(apiRoutes.map((route) => route.RouteKey)).toContain('POST /');
    });

    it('is an HTTP API whose $default stage auto-deploys, throttles and writes access logs', () => {
      template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
      template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
      const [, stage] = resourcesOf(template, 'AWS::ApiGatewayV2::Stage')[0]!;
      expect(stage.Properties).toMatchObject({
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: {
          ThrottlingRateLimit: DEFAULT_THROTTLE.rateLimit,
          ThrottlingBurstLimit: DEFAULT_THROTTLE.burstLimit,
        },
      });
      const accessLog = stage.Properties.AccessLogSettings as { DestinationArn: unknown; Format: string };
      expect(JSON.parse(accessLog.Format)).toMatchObject({ requestId: '$context.requestId' });
      const groupId = referencedId(accessLog.DestinationArn)!;
      template.hasResource('AWS::Logs::LogGroup', {
        Properties: { RetentionInDays: 30 },
      });
      expect(template.findResources('AWS::Logs::LogGroup')[groupId]).toBeDefined();
    });

    it("throttles every route on its own, so anonymous PlayFab traffic cannot use up the signed callers' share", () => {
      const [stageId, stage] = resourcesOf(template, 'AWS::ApiGatewayV2::Stage')[0]!;
      const settings = stage.Properties.RouteSettings as Record<string, Record<string, unknown>>;
      expect(Object.keys(settings).sort()).toEqual(routes.map(routeKey).sort());
      for (const route of routes) {
        expect(settings[routeKey(route)]).toEqual({
          ThrottlingRateLimit: ROUTE_THROTTLES[route.auth].rateLimit,
          ThrottlingBurstLimit: ROUTE_THROTTLES[route.auth].burstLimit,
        });
      }
      // The anonymous game-server route gets less than the signed GameLift route, never a shared bucket.
      const anonymous = settings['POST /Match/{operation}']!;
      const signed = settings['POST /']!;
      expect(anonymous.ThrottlingRateLimit).toBeLessThan(signed.ThrottlingRateLimit as number);
      expect(anonymous.ThrottlingBurstLimit).toBeLessThan(signed.ThrottlingBurstLimit as number);
      // Route settings refer to routes by key, so the stage must be deployed after every route.
      const stageResource = (template.toJSON().Resources as Record<string, { DependsOn?: string[] }>)[
        stageId
      ]!;
      const routeIds = resourcesOf(template, 'AWS::ApiGatewayV2::Route').map(([id]) => id);
      expect(stageResource.DependsOn).toEqual(expect.arrayContaining(routeIds));
    });

    it('verifies player tokens with a JWT authorizer for the configured issuer, reading X-EntityToken', () => {
      template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
      const [authorizerId, authorizer] = resourcesOf(template, 'AWS::ApiGatewayV2::Authorizer')[0]!;
      expect(authorizer.Properties).toMatchObject({
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.X-EntityToken'],
        JwtConfiguration: { Issuer: playerTokens.issuer, Audience: playerTokens.audience },
      });
      const playerRoute = resourcesOf(template, 'AWS::ApiGatewayV2::Route').find(
        ([, route]) => route.Properties.RouteKey === 'POST /Player/Match/{operation}',
      )!;
      expect(referencedId(playerRoute[1].Properties.AuthorizerId)).toBe(authorizerId);
      // The same PlayFab function serves both PlayFab routes.
      const integrations = resourcesOf(template, 'AWS::ApiGatewayV2::Route')
        .filter(([, route]) => String(route.Properties.RouteKey).includes('/Match/'))
        .map(([, route]) => JSON.stringify(route.Properties.Target));
      expect(new Set(integrations).size).toBe(1);
    });

    it('uses Lambda proxy integrations with payload format 2.0', () => {
      template.allResourcesProperties('AWS::ApiGatewayV2::Integration', {
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
      });
    });
  });

  describe('least privilege', () => {
    it('grants DynamoDB actions on the table and its indexes only, never on "*"', () => {
      const [tableId] = resourcesOf(template, 'AWS::DynamoDB::Table')[0]!;
      const tableArn = { 'Fn::GetAtt': [tableId, 'Arn'] };
      const indexArn = { 'Fn::Join': ['', [tableArn, '/index/*']] };
      let dynamoStatements = 0;
      for (const [, policy] of resourcesOf(template, 'AWS::IAM::Policy')) {
        const statements = (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] })
          .Statement;
        for (const statement of statements) {
          const actions = asArray(statement.Action as string | string[]);
          expect(actions).not.toContain('*');
          expect(actions).not.toContain('dynamodb:*');
          if (!actions.some((action) => action.startsWith('dynamodb:'))) continue;
          // The stream event source's ListStreams supports no resource-level permission (the
          // policy minimizer may merge it with X-Ray's "*" actions); nothing else of DynamoDB may.
          if (statement.Resource === '*') {
            expect(actions.filter((action) => action.startsWith('dynamodb:'))).toEqual([
              'dynamodb:ListStreams',
            ]);
            continue;
          }
          dynamoStatements++;
          // Only DynamoDB in this statement, so its resources are all DynamoDB resources.
          expect(actions.every((action) => action.startsWith('dynamodb:'))).toBe(true);
          const resources = asArray(statement.Resource);
          expect(resources).not.toContain('*');
          const streamArn = { 'Fn::GetAtt': [tableId, 'StreamArn'] };
          for (const resource of resources) expect([tableArn, indexArn, streamArn]).toContainEqual(resource);
        }
      }
      expect(dynamoStatements).toBeGreaterThan(0);
    });

    it('gives the function roles no managed policies (no AWSLambdaBasicExecutionRole)', () => {
      for (const [, role] of resourcesOf(template, 'AWS::IAM::Role')) {
        expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      }
    });
  });

  describe('PlayFab dialect', () => {
    const playFabLambda = () => {
      const found = resourcesOf(template, 'AWS::Lambda::Function').filter(
        ([, fn]) => fn.Properties.Description === playFabFunction.description,
      );
      expect(found).toHaveLength(1);
      return found[0]!;
    };

    it('serves POST /Match/{operation} from the PlayFab function, with no gateway authorizer', () => {
      expect(routes).toContainEqual({
        method: 'POST',
        path: '/Match/{operation}',
        function: playFabFunction,
        auth: 'playfab',
      });
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: 'POST /Match/{operation}',
        AuthorizationType: 'NONE',
      });
      const route = resourcesOf(template, 'AWS::ApiGatewayV2::Route').find(
        ([, r]) => r.Properties.RouteKey === 'POST /Match/{operation}',
      )!;
      expect(route[1].Properties.AuthorizerId).toBeUndefined();
      const [fnId] = playFabLambda();
      const integration = resourcesOf(template, 'AWS::ApiGatewayV2::Integration').find(([, i]) =>
        JSON.stringify(i.Properties.IntegrationUri).includes(fnId),
      );
      expect(integration).toBeDefined();
    });

    it('keeps the title secret key in Secrets Manager, generated at deploy time and retained (player tokens need no secret)', () => {
      const secrets = resourcesOf(template, 'AWS::SecretsManager::Secret');
      expect(secrets).toHaveLength(1);
      for (const [, secret] of secrets) {
        expect(secret.Properties.GenerateSecretString).toMatchObject({
          PasswordLength: 48,
          ExcludePunctuation: true,
        });
        // Never a value in the template.
        expect(secret.Properties.SecretString).toBeUndefined();
        expect(secret.DeletionPolicy).toBe('Retain');
      }
    });

    it('gives only the PlayFab function the secret ARN and read access to exactly that secret', () => {
      const secretIds = resourcesOf(template, 'AWS::SecretsManager::Secret').map(([id]) => id);
      const [, fn] = playFabLambda();
      const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect([referencedId(variables.SLOTFILL_PLAYFAB_SECRET_KEY_ARN)]).toEqual(secretIds);
      // No plaintext development secrets in AWS.
      expect(variables.SLOTFILL_PLAYFAB_SECRET_KEY).toBeUndefined();
      for (const [, other] of resourcesOf(template, 'AWS::Lambda::Function')) {
        if (other === fn) continue;
        const otherVariables = (other.Properties.Environment as { Variables: Record<string, unknown> })
          .Variables;
        expect(otherVariables.SLOTFILL_PLAYFAB_SECRET_KEY_ARN).toBeUndefined();
      }

      const secretStatements = resourcesOf(template, 'AWS::IAM::Policy').flatMap(([, policy]) =>
        (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement.filter(
          (statement) =>
            asArray(statement.Action as string | string[]).some((action) =>
              action.startsWith('secretsmanager:'),
            ),
        ).map((statement) => ({ policy, statement })),
      );
      expect(secretStatements.length).toBeGreaterThan(0);
      for (const { policy, statement } of secretStatements) {
        const roles = asArray(policy.Properties.Roles as unknown).map(referencedId);
        const roleOfFunction = referencedId(fn.Properties.Role);
        expect(roles).toEqual([roleOfFunction]);
        expect(asArray(statement.Action as string | string[])).toEqual(
          expect.arrayContaining(['secretsmanager:GetSecretValue']),
        );
        for (const resource of asArray(statement.Resource))
          expect(secretIds).toContain(referencedId(resource));
      }
    });
  });

  it('declares the outputs deploy users need', () => {
    template.hasOutput('ApiUrl', {});
    template.hasOutput('ApiId', {});
    template.hasOutput('TableName', {});
  });

  it('passes cdk-nag AwsSolutionsChecks with no unacknowledged finding (errors or warnings)', () => {
    expect(synthesized.nagFindings).toEqual([]);
    expect(synthesized.cdkErrors).toEqual([]);
  });

  it('acknowledges only the two IAM5 findings per function role and the PlayFab route and secrets, with reasons', () => {
    const [tableId] = resourcesOf(template, 'AWS::DynamoDB::Table')[0]!;
    const acks = acknowledgments(synthesized.stack);
    const rolePaths = [
      ...routeFunctions().map((spec) => `Slotfill/Http/${spec.name}/Role`),
      `Slotfill/Matchmaker/${matchmakerFunctionSpec.name}/Role`,
      `Slotfill/Matchmaker/${matchmakerWorkerFunctionSpec.name}/Role`,
    ];
    const expected = [
      ...rolePaths.flatMap((path) => [
        { path, id: 'AwsSolutions-IAM5[Resource::*]' },
        { path, id: `AwsSolutions-IAM5[Resource::<${tableId}.Arn>/index/*]` },
      ]),
      // The game servers' PlayFab route authenticates in its function, and its secret rotates by
      // hand; the player route has a JWT authorizer and needs no acknowledgment.
      { path: 'Slotfill/Http/Api/POST--Match--{operation}', id: 'AwsSolutions-APIG4' },
      { path: 'Slotfill/Http/PlayFabCredentials/TitleSecretKey', id: 'AwsSolutions-SMG4' },
    ];
    expect(acks.map(({ path, id }) => ({ path, id }))).toEqual(expect.arrayContaining(expected));
    expect(acks).toHaveLength(expected.length);
    for (const ack of acks) expect(ack.reason.length).toBeGreaterThan(40);
  });
});

describe('SlotfillStack variants (bundling skipped)', () => {
  it('adds a route and its function when a row is added to a copy of the route table', () => {
    const extraFunction = {
      ...gameLiftFunction,
      name: 'ExtraApi',
      description: 'Extra dialect (test copy of the route table)',
    };
    const extended: readonly Route[] = [
      ...routes,
      { method: 'POST', path: '/Extra/{operation}', function: extraFunction, auth: 'iam' },
    ];
    const { template, nagFindings } = synthesize({ routes: extended, playerTokens }, false);

    const routeKeys = resourcesOf(template, 'AWS::ApiGatewayV2::Route').map(
      ([, route]) => route.Properties.RouteKey,
    );
    expect(routeKeys.sort()).toEqual(extended.map((route) => `${route.method} ${route.path}`).sort());
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'POST /Extra/{operation}',
      AuthorizationType: 'AWS_IAM',
    });
    template.resourceCountIs('AWS::Lambda::Function', deployedFunctions(extended).length);
    template.hasResourceProperties('AWS::Lambda::Function', { Description: extraFunction.description });
    // The new function's role gets the same narrow acknowledgments, so nag stays clean.
    expect(nagFindings).toEqual([]);
  });

  it('leaves the player route out, with a synth warning, when no player token issuer is configured', () => {
    const { stack, template, nagFindings } = synthesize({}, false);
    const routeKeys = resourcesOf(template, 'AWS::ApiGatewayV2::Route').map(
      ([, route]) => route.Properties.RouteKey,
    );
    expect(routeKeys.sort()).toEqual(
      routes
        .filter((route) => route.auth !== 'player-token')
        .map(routeKey)
        .sort(),
    );
    template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 0);
    const warnings = Annotations.fromStack(stack).findWarning(
      '*',
      Match.stringLikeRegexp('playerTokenIssuer'),
    );
    expect(warnings).toHaveLength(1);
    expect(nagFindings).toEqual([]);
  });

  it('refuses a player token issuer API Gateway would refuse: not https, or no audience', () => {
    expect(() =>
      synthesize({ playerTokens: { issuer: 'http://login.example-game.com', audience: ['g'] } }, false),
    ).toThrow(/must be an https URL/);
    expect(() => synthesize({ playerTokens: { issuer: playerTokens.issuer, audience: [] } }, false)).toThrow(
      /at least one non-empty audience/,
    );
  });

  it('passes the ticket rate limits to the API functions only, and refuses one they could not read', () => {
    const variablesOf = (props: { playerTicketsPerMinute?: number; titleTicketsPerSecond?: number }) =>
      resourcesOf(synthesize(props, false).template, 'AWS::Lambda::Function').map(
        ([, fn]) => (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables,
      );
    const limited = variablesOf({ playerTicketsPerMinute: 10, titleTicketsPerSecond: 0 });
    const withLimits = limited.filter((variables) => 'SLOTFILL_TITLE_TICKETS_PER_SECOND' in variables);
    // GameLiftApi and PlayFabApi; the matchmaker opens no tickets.
    expect(withLimits).toHaveLength(2);
    for (const variables of withLimits)
      expect(variables).toMatchObject({
        SLOTFILL_PLAYER_TICKETS_PER_MINUTE: '10',
        SLOTFILL_TITLE_TICKETS_PER_SECOND: '0',
      });
    // Unset: the functions' documented defaults apply.
    expect(variablesOf({}).some((variables) => 'SLOTFILL_PLAYER_TICKETS_PER_MINUTE' in variables)).toBe(
      false,
    );
    expect(() => synthesize({ titleTicketsPerSecond: 2.5 }, false)).toThrow(/titleTicketsPerSecond must be/);
  });

  it('lets dev stacks delete the table and logs with allowDestroy', () => {
    const { template } = synthesize({ allowDestroy: true }, false);
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
    });
    for (const [, group] of resourcesOf(template, 'AWS::Logs::LogGroup'))
      expect(group.DeletionPolicy).toBe('Delete');
  });
});
