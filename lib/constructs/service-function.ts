import { join, resolve } from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { HttpFunctionSpec } from '../../lambdas/routes';
import { LAMBDA_RUNTIME, lambdaBundling } from '../bundling';
import { projectRoot } from '../project-root';

/**
 * What a function needs to be deployed. HTTP functions come from the route table; the
 * matchmaker (scheduled) will describe itself with the same shape.
 */
export type FunctionSpec = Pick<
  HttpFunctionSpec,
  'name' | 'entry' | 'exportName' | 'description' | 'memorySize' | 'timeoutSeconds'
>;

export interface ServiceFunctionProps {
  readonly spec: FunctionSpec;
  /** Extra environment variables; the common ones (region, account, Powertools) are always set. */
  readonly environment?: Record<string, string>;
  /** @default one month */
  readonly logRetention?: RetentionDays;
  /**
   * What happens to the function's log group when the stack is deleted.
   * @default RETAIN (logs outlive the stack for post-mortems)
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * Another action of this role that supports no resource-level permissions (and so uses
   * "*"), named in the acknowledgment's reason beside X-Ray's.
   */
  readonly otherWildcardAction?: { action: string; why: string };
}

/**
 * One Lambda function as slotfill deploys every function: bundled by the local esbuild from
 * the project's TypeScript, arm64, X-Ray tracing, its own log group with retention, and its
 * own role that can write only to that log group (no AWSLambdaBasicExecutionRole, whose
 * `logs:*` on every group would need an AwsSolutions-IAM4 suppression).
 */
export class ServiceFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    const { spec } = props;
    const stack = Stack.of(this);

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });

    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of the slotfill ${spec.name} function`,
    });
    // The function logs to the group above (LoggingConfig), so stream creation and writes
    // there are all it needs; the group already exists, hence no logs:CreateLogGroup.
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: resolve(projectRoot, spec.entry),
      handler: spec.exportName,
      description: spec.description,
      runtime: LAMBDA_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: spec.memorySize,
      timeout: Duration.seconds(spec.timeoutSeconds),
      role: this.role,
      logGroup: this.logGroup,
      tracing: Tracing.ACTIVE,
      projectRoot,
      depsLockFilePath: join(projectRoot, 'package-lock.json'),
      environment: {
        SLOTFILL_ACCOUNT_ID: stack.account,
        SLOTFILL_REGION: stack.region,
        POWERTOOLS_SERVICE_NAME: 'slotfill',
        POWERTOOLS_METRICS_NAMESPACE: 'Slotfill',
        ...props.environment,
      },
      bundling: lambdaBundling,
    });

    // Acknowledged on the role, so it covers this role's policy and nothing else.
    const other = props.otherWildcardAction;
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: other
        ? `Active X-Ray tracing adds xray:PutTraceSegments and xray:PutTelemetryRecords, and ${other.why} adds ${other.action}; none of them supports resource-level permissions: AWS requires Resource "*" for them. No other statement of this role uses "*".`
        : 'Active X-Ray tracing adds xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions: AWS requires Resource "*" for them. No other statement of this role uses "*".',
    });
  }

  /**
   * Gives the function read/write access to the items of `table` (and its indexes) and tells
   * it the table's name through TABLE_NAME, the variable `readRuntimeConfig` reads.
   */
  useTable(table: ITable): void {
    this.function.addEnvironment('TABLE_NAME', table.tableName);
    table.grantReadWriteData(this.function);
    // cdk-nag v3 acknowledges one exact finding, so name this table's index ARN exactly as
    // cdk-nag flattens it: `<LogicalId.Arn>/index/*` for a table of this stack.
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${flattenedArn(Stack.of(this).resolve(table.tableArn))}/index/*]`,
      reason:
        "grantReadWriteData adds <table ARN>/index/* so that Query can read the table's own GSIs (the matchmaking pool index). The wildcard covers only this table's indexes, not other tables.",
    });
  }
}

/** A resolved ARN as cdk-nag prints it: a GetAtt becomes `<LogicalId.Arn>`, a literal stays. */
function flattenedArn(resolved: unknown): string {
  if (typeof resolved === 'string') return resolved;
  const getAtt = (resolved as { 'Fn::GetAtt'?: unknown } | null)?.['Fn::GetAtt'];
  if (Array.isArray(getAtt) && getAtt.length === 2) return `<${String(getAtt[0])}.${String(getAtt[1])}>`;
  throw new Error(`Cannot name the table ARN ${JSON.stringify(resolved)} for the cdk-nag acknowledgment`);
}
