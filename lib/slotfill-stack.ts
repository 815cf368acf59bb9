import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { ThrottleSettings } from 'aws-cdk-lib/aws-apigatewayv2';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { Route } from '../lambdas/routes';
import { DataTable } from './constructs/data-table';
import { SlotfillHttpApi } from './constructs/http-api';

export interface SlotfillStackProps extends StackProps {
  /**
   * For dev stacks: the table loses deletion protection and, like the log groups, is deleted
   * with the stack. Off by default so that a production `cdk destroy` keeps the data.
   * @default false
   */
  readonly allowDestroy?: boolean;
  /** @default the project's route table */
  readonly routes?: readonly Route[];
  /** @default DEFAULT_THROTTLE of http-api.ts */
  readonly throttle?: ThrottleSettings;
  /** @default one month */
  readonly logRetention?: RetentionDays;
}

/**
 * slotfill in one stack, one construct per concern: the data table, the HTTP API with its
 * functions. The scheduled matchmaker (EventBridge schedule + its function, built with
 * ServiceFunction and `useTable`) and the event bus for matchmaking events get their own
 * constructs here when they are written.
 */
export class SlotfillStack extends Stack {
  readonly data: DataTable;
  readonly httpApi: SlotfillHttpApi;

  constructor(scope: Construct, id: string, props: SlotfillStackProps = {}) {
    super(scope, id, props);
    const allowDestroy = props.allowDestroy ?? false;

    this.data = new DataTable(this, 'Data', { allowDestroy });

    this.httpApi = new SlotfillHttpApi(this, 'Http', {
      table: this.data.table,
      routes: props.routes,
      throttle: props.throttle,
      logRetention: props.logRetention,
      logRemovalPolicy: allowDestroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });

    new CfnOutput(this, 'ApiUrl', {
      description: 'Base URL of the API: the GameLift SDK `endpoint` (see lib/README-deploy.md for signing)',
      value: this.httpApi.url,
    });
    new CfnOutput(this, 'ApiId', {
      description:
        'For IAM policies: arn:aws:execute-api:<region>:<account>:<ApiId>/$default/<METHOD>/<path>',
      value: this.httpApi.api.apiId,
    });
    new CfnOutput(this, 'TableName', { value: this.data.table.tableName });
  }
}
