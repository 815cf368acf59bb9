import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { type TableDefinition, tableDefinition } from '../../lambdas/store/table-definition';

export interface DataTableProps {
  /**
   * Lets `cdk destroy` delete the table (and its data). Off by default: the table holds every
   * configuration, rule set and ticket, so production stacks keep it even when the stack goes.
   * @default false
   */
  readonly allowDestroy?: boolean;
  /** @default the project's tableDefinition, shared with the local bootstrap */
  readonly definition?: TableDefinition;
}

/**
 * slotfill's single DynamoDB table, built from the same `tableDefinition` the local
 * bootstrap uses, so keys, the pool index and TTL cannot drift between AWS and a laptop.
 */
export class DataTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: DataTableProps = {}) {
    super(scope, id);
    const definition = props.definition ?? tableDefinition;
    const allowDestroy = props.allowDestroy ?? false;

    this.table = new Table(this, 'Table', {
      // Every key attribute is a string (composite keys such as `POOL#<config>#<status>`),
      // matching the AttributeDefinitions of the local bootstrap.
      partitionKey: { name: definition.partitionKey, type: AttributeType.STRING },
      sortKey: { name: definition.sortKey, type: AttributeType.STRING },
      // Matchmaking traffic is bursty and idle most of the time: on-demand avoids both
      // throttling at a burst and paying for idle provisioned capacity.
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: definition.timeToLiveAttribute,
      stream: StreamViewType[definition.streamViewType],
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // KMS with the AWS-managed key (aws/dynamodb): key usage shows up in CloudTrail, and
      // no customer key has to be administered.
      encryption: TableEncryption.AWS_MANAGED,
      deletionProtection: !allowDestroy,
      removalPolicy: allowDestroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });

    for (const index of definition.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        // The matchmaker reads whole tickets from the pool index; ALL saves a second read
        // per ticket against the base table.
        projectionType: ProjectionType.ALL,
      });
    }
  }
}
