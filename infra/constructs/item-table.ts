/**
 * The story engine's item table: one DynamoDB table of versioned items (layout in
 * functions/contracts.ts ITEM_TABLE). On-demand, because ingest comes in bursts; point-in-time
 * recovery, because the items are the engine's only state; encrypted with the AWS-managed key; expired
 * index items removed by TTL. Access is granted per function with exact actions.
 */
import type { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ITEM_TABLE } from '../../functions/contracts.ts';

/**
 * What the DynamoDB item store calls (functions/adapters/dynamo-item-store.ts): batch reads, conditional
 * single-item writes and deletes, counter additions, and partition queries. No scans, no transactions, no
 * table management.
 */
export const ITEM_STORE_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:Query',
] as const;

/** What reading the item store calls: batch reads and partition queries (the digest builder). */
export const ITEM_READ_ACTIONS = ['dynamodb:BatchGetItem', 'dynamodb:Query'] as const;

export interface ItemTableProps {
  readonly removalPolicy: RemovalPolicy;
}

export class ItemTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: ItemTableProps) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: ITEM_TABLE.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: ITEM_TABLE.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: ITEM_TABLE.expiresAt,
      removalPolicy: props.removalPolicy,
    });
  }

  /** Lets `grantee` use the table as an item store: exactly ITEM_STORE_ACTIONS, on this table only. */
  grantItemStore(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: [...ITEM_STORE_ACTIONS], resources: [this.table.tableArn] }),
    );
  }

  /** Lets `grantee` read the table: exactly ITEM_READ_ACTIONS, on this table only. */
  grantItemReads(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: [...ITEM_READ_ACTIONS], resources: [this.table.tableArn] }),
    );
  }
}
