/**
 * Managed policies for the humans and systems around the service, so that nobody needs s3:* on the bucket:
 * contributors may only drop files into incoming/, and subscriber managers (the `npm run subscribers` CLI)
 * may only read the subscriber lists and write subscribers/list.json. Attach them to users, groups or roles
 * outside this stack.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { ArticleBucket } from './article-bucket.ts';

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
    articles.acknowledgePrefixWildcard(
      this.contributor,
      'incoming',
      'the policy allows s3:PutObject under that one prefix and nothing else',
    );

    // `npm run subscribers` reads the list and the initial subscribers (an unsubscribe must tombstone an
    // initial address too) and writes only list.json; initial.json belongs to the stack's configuration.
    this.subscriberManager = new iam.ManagedPolicy(this, 'SubscriberManager', {
      description: 'news-digest: list, add and remove subscribers (npm run subscribers)',
      statements: [
        new iam.PolicyStatement({
          actions: ['s3:GetObject'],
          resources: [articles.objectsArn('subscriberList'), articles.objectsArn('initialSubscribers')],
        }),
        new iam.PolicyStatement({
          actions: ['s3:PutObject'],
          resources: [articles.objectsArn('subscriberList')],
        }),
        // A missing list.json must read as 404 (an empty list), not 403: see ArticleBucket.grantObjects.
        new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [articles.bucket.bucketArn] }),
      ],
    });
  }
}
