import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  type HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
  type ThrottleSettings,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { routes as defaultRoutes, type Route, type RouteAuth, routeFunctions } from '../../lambdas/routes';
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

export interface SlotfillHttpApiProps {
  /** The table every handler reads and writes. */
  readonly table: ITable;
  /**
   * The route table to expose. Tests pass a modified copy; deployments use the real one.
   * @default the project's `routes`
   */
  readonly routes?: readonly Route[];
  /** @default DEFAULT_THROTTLE */
  readonly throttle?: ThrottleSettings;
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

    const integrations = new Map<string, HttpLambdaIntegration>();
    for (const route of table) {
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
        authorizer: authorizerFor(route.auth),
      });
      if (route.auth === 'playfab') {
        for (const apiRoute of added) {
          Validations.of(apiRoute).acknowledge({
            id: 'AwsSolutions-APIG4',
            reason:
              'PlayFab clients authenticate with X-SecretKey / X-EntityToken, not SigV4 or JWT; the PlayFab function verifies them on every request (HMAC-signed entity tokens, title key from Secrets Manager) before any use case runs, because what a caller may do depends on the ticket it names.',
          });
        }
      }
    }
  }

  /** The URL clients (and the GameLift SDK's `endpoint`) use. */
  get url(): string {
    return this.stage.url;
  }
}

function authorizerFor(auth: RouteAuth): IHttpRouteAuthorizer {
  switch (auth) {
    case 'iam':
      // SigV4-signed requests only; the caller needs execute-api:Invoke on the route.
      return new HttpIamAuthorizer();
    case 'playfab':
      // No gateway authorizer: the function verifies X-SecretKey / X-EntityToken (see routes.ts).
      return new HttpNoneAuthorizer();
    default: {
      // A new RouteAuth value must get a mapping here before it can deploy.
      const unknown: never = auth;
      throw new Error(`No API Gateway authorizer for route auth "${String(unknown)}"`);
    }
  }
}
