/**
 * Managed policies for the humans and systems around the service, so that nobody needs s3:* on the bucket:
 * contributors may only drop files into incoming/, and subscriber managers (the `npm run subscribers` CLI)
 * may only read and write subscribers/. Attach them to users, groups or roles outside this stack.
 */
import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { type ArticleBucket, PREFIXES } from './article-bucket.ts';

export interface OperatorPoliciesProps {
  readonly articles: ArticleBucket;
}

export class OperatorPolicies extends Construct {
  readonly contributor: iam.ManagedPolicy;
  readonly subscriberManager: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: OperatorPoliciesProps) {
    super(scope, id);
    const { articles } = props;

    this.contributor = new iam.ManagedPolicy(this, 'Contributor', {
      description: 'news-digest: drop articles into incoming/ (nothing else)',
      statements: [
        new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [articles.objectsArn('incoming')] }),
      ],
    });

    this.subscriberManager = new iam.ManagedPolicy(this, 'SubscriberManager', {
      description: 'news-digest: list, add and remove subscribers (npm run subscribers)',
      statements: [
        new iam.PolicyStatement({
          actions: ['s3:GetObject', 's3:PutObject'],
          resources: [articles.objectsArn('subscribers')],
        }),
        new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [articles.bucket.bucketArn] }),
      ],
    });

    const bucketId = Stack.of(this).resolve(
      (articles.bucket.node.defaultChild as CfnElement).logicalId,
    ) as string;
    for (const [policy, prefix] of [
      [this.contributor, PREFIXES.incoming],
      [this.subscriberManager, PREFIXES.subscribers],
    ] as const) {
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${prefix}*]`,
        reason: `People and systems outside the stack name their own objects under ${prefix}; the policy allows exactly that prefix and exact actions.`,
      });
    }
  }
}
