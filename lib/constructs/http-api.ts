import { Annotations, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  type HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
  type ThrottleSettings,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer, HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  routes as defaultRoutes,
  PLAYER_TOKEN_HEADER,
  type Route,
  type RouteAuth,
  routeFunctions,
} from '../../lambdas/routes';
import { PlayFabCredentials } from './playfab-credentials';
import { ServiceFunction } from './service-function';

/**
 * Stage-wide throttling. API Gateway's account limit (10,000 rps, burst 5,000 per Region) is
 * shared by every API in the account, so one misbehaving client must not take all of it.
 * 400 rps steady covers FlexMatch's own published per-account rates for the hot calls
 * (StartMatchmaking 100 + StartMatchBackfill 70 + DescribeMatchmaking 200 = 370/s); the burst
 * of 800 absorbs a game server fleet reconnecting at once. Excess requests get HTTP 429, which
 * the AWS SDK retries with backoff.
 */
export const DEFAULT_THROTTLE: Required<ThrottleSettings> = { rateLimit: 400, burstLimit: 800 };

/**
 * Route-level throttles, by who calls. Each route has a bucket of its own, so callers the
 * gateway cannot identify (PlayFab game servers' X-SecretKey is checked only in the function)
 * and players cannot use up what the signed GameLift callers (IAM) are given:
 * - `iam` (`POST /`): the stage default above, FlexMatch's hot-call rates;
 * - `playfab` (`POST /Match/{operation}`): game servers; 200/s, burst 400, a fleet's backfill
 *   and server-made tickets, half the signed callers' share because nothing stops an anonymous
 *   flood before it reaches this bucket;
 * - `player-token` (`POST /Player/Match/{operation}`): players, each request already holding a
 *   verified token; 300/s, burst 600 (ticket creation and the polling PlayFab clients do).
 */
export const ROUTE_THROTTLES: Readonly<Record<RouteAuth, Required<ThrottleSettings>>> = {
  iam: DEFAULT_THROTTLE,
  playfab: { rateLimit: 200, burstLimit: 400 },
  'player-token': { rateLimit: 300, burstLimit: 600 },
};

/**
 * Who issues player tokens: API Gateway's JWT authorizer fetches the issuer's
 * `/.well-known/openid-configuration`, then its JWKS, and accepts RSA-signed tokens whose
 * `iss` is `issuer` and whose `aud` (or `client_id`) is one of `audience`.
 */
export interface PlayerTokenIssuer {
  /** An https URL, e.g. a Cognito user pool's `https://cognito-idp.<region>.amazonaws.com/<pool id>`. */
  readonly issuer: string;
  readonly audience: readonly string[];
}

export interface SlotfillHttpApiProps {
  /** The table every handler reads and writes. */
  readonly table: ITable;
  /**
   * The route table to expose. Tests pass a modified copy; deployments use the real one.
   * @default the project's `routes`
   */
  readonly routes?: readonly Route[];
  /** The stage's default route throttle. @default DEFAULT_THROTTLE */
  readonly throttle?: ThrottleSettings;
  /** Per-route throttles by route auth. @default ROUTE_THROTTLES */
  readonly routeThrottles?: Partial<Record<RouteAuth, ThrottleSettings>>;
  /**
   * The issuer of player tokens. Without it the player routes (`player-token`) are not
   * deployed (a synth warning says so): players then have no way in.
   */
  readonly playerTokens?: PlayerTokenIssuer;
  /** Retention of the access log and of every function's log group. @default one month */
  readonly logRetention?: RetentionDays;
  /** @default RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;
}

/**
 * The public face of slotfill: an API Gateway HTTP API whose routes and functions are
 * generated from the route table, one function per distinct `routeFunctions()` entry.
 */
export class SlotfillHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  /** Functions by their route-table name. */
  readonly functions: ReadonlyMap<string, ServiceFunction>;
  /** The PlayFab dialect's secrets, when a route uses `playfab` auth. */
  readonly playFabCredentials?: PlayFabCredentials;

  constructor(scope: Construct, id: string, props: SlotfillHttpApiProps) {
    super(scope, id);
    const table = props.routes ?? defaultRoutes;
    const logRetention = props.logRetention ?? RetentionDays.ONE_MONTH;
    const logRemovalPolicy = props.logRemovalPolicy ?? RemovalPolicy.RETAIN;

    this.api = new HttpApi(this, 'Api', {
      description: 'slotfill matchmaking API (GameLift FlexMatch and PlayFab dialects)',
      // The default stage is created below, with access logging and throttling, which the
      // implicitly created one cannot have.
      createDefaultStage: false,
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: logRetention,
      removalPolicy: logRemovalPolicy,
    });
    this.stage = this.api.addStage('DefaultStage', {
      // `$default` serves at the API's root URL, so the GameLift SDK's endpoint is just the URL.
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle ?? DEFAULT_THROTTLE,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // HTTP API $context variables only (the REST API's standard JSON format names some
        // that HTTP APIs do not have). userArn shows which IAM principal called.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            sourceIp: '$context.identity.sourceIp',
            userArn: '$context.identity.userArn',
            routeKey: '$context.routeKey',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            error: '$context.error.message',
          }),
        ),
      },
    });

    const functions = new Map<string, ServiceFunction>();
    for (const spec of routeFunctions(table)) {
      const fn = new ServiceFunction(this, spec.name, { spec, logRetention, logRemovalPolicy });
      fn.useTable(props.table);
      functions.set(spec.name, fn);
    }
    this.functions = functions;

    // Functions behind `playfab` routes verify callers themselves, with secrets from Secrets Manager.
    const playFabRoutes = table.filter((route) => route.auth === 'playfab');
    if (playFabRoutes.length > 0) {
      const credentials = new PlayFabCredentials(this, 'PlayFabCredentials');
      for (const name of new Set(playFabRoutes.map((route) => route.function.name))) {
        credentials.grantTo(functions.get(name)!.function);
      }
      this.playFabCredentials = credentials;
    }

    const playerAuthorizer = props.playerTokens ? playerTokenAuthorizer(props.playerTokens) : undefined;
    const throttles = { ...ROUTE_THROTTLES, ...props.routeThrottles };
    // CloudFormation's RouteSettings is a free-form map, so CDK passes it as written: PascalCase.
    const routeSettings: Record<string, { ThrottlingRateLimit?: number; ThrottlingBurstLimit?: number }> = {};
    const integrations = new Map<string, HttpLambdaIntegration>();
    for (const route of table) {
      if (route.auth === 'player-token' && !playerAuthorizer) {
        Annotations.of(this).addWarningV2(
          'slotfill:PlayerRoutesNotDeployed',
          `${route.method} ${route.path} is not deployed: no player token issuer is configured (-c playerTokenIssuer=https://… -c playerTokenAudience=…, see lib/README-deploy.md).`,
        );
        continue;
      }
      const fn = functions.get(route.function.name)!;
      let integration = integrations.get(route.function.name);
      if (!integration) {
        // One integration per function: routes sharing a function share it, while each route
        // still gets its own Lambda permission scoped to its path.
        integration = new HttpLambdaIntegration(`${route.function.name}Integration`, fn.function);
        integrations.set(route.function.name, integration);
      }
      const added = this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration,
        authorizer: authorizerFor(route.auth, playerAuthorizer),
      });
      const throttle = throttles[route.auth];
      routeSettings[`${route.method} ${route.path}`] = {
        ThrottlingRateLimit: throttle.rateLimit,
        ThrottlingBurstLimit: throttle.burstLimit,
      };
      // Route settings name routes by key: the stage can only take them once the routes exist.
      for (const apiRoute of added) this.stage.node.addDependency(apiRoute);
      if (route.auth === 'playfab') {
        for (const apiRoute of added) {
          Validations.of(apiRoute).acknowledge({
            id: 'AwsSolutions-APIG4',
            reason:
              "PlayFab game servers authenticate with the title's X-SecretKey, which no API Gateway authorizer type checks; the PlayFab function compares it (key from Secrets Manager) before any use case runs. Players use the JWT-authorized player route instead.",
          });
        }
      }
    }
    (this.stage.node.defaultChild as CfnStage).routeSettings = routeSettings;
  }

  /** The URL clients (and the GameLift SDK's `endpoint`) use. */
  get url(): string {
    return this.stage.url;
  }
}

function playerTokenAuthorizer(issuer: PlayerTokenIssuer): HttpJwtAuthorizer {
  if (!/^https:\/\/[^/\s]+/.test(issuer.issuer)) {
    throw new Error(
      `The player token issuer must be an https URL (API Gateway requires it); got '${issuer.issuer}'`,
    );
  }
  if (issuer.audience.length === 0 || issuer.audience.some((audience) => audience === '')) {
    throw new Error('The player token issuer needs at least one non-empty audience');
  }
  return new HttpJwtAuthorizer('PlayerTokenAuthorizer', issuer.issuer, {
    jwtAudience: [...issuer.audience],
    // PlayFab clients send their entity token in X-EntityToken, not Authorization.
    identitySource: [`$request.header.${PLAYER_TOKEN_HEADER}`],
  });
}

function authorizerFor(
  auth: RouteAuth,
  playerAuthorizer: HttpJwtAuthorizer | undefined,
): IHttpRouteAuthorizer {
  switch (auth) {
    case 'iam':
      // SigV4-signed requests only; the caller needs execute-api:Invoke on the route.
      return new HttpIamAuthorizer();
    case 'playfab':
      // No gateway authorizer: the function verifies X-SecretKey (see routes.ts).
      return new HttpNoneAuthorizer();
    case 'player-token':
      // One authorizer for the configured issuer, shared by every player route.
      if (!playerAuthorizer) throw new Error('player-token routes need a player token issuer');
      return playerAuthorizer;
    default: {
      // A new RouteAuth value must get a mapping here before it can deploy.
      const unknown: never = auth;
      throw new Error(`No API Gateway authorizer for route auth "${String(unknown)}"`);
    }
  }
}
