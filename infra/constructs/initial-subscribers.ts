/**
 * Writes the configured initial subscribers to subscribers/initial.json at deploy time (and again whenever
 * the list changes), with a custom resource whose only right is s3:PutObject on that one key.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { FIXED_KEYS } from '../../functions/contracts.ts';
import type { ArticleBucket } from './article-bucket.ts';
import { acknowledgeCdkProvider, CDK_PROVIDER_IDS } from './cdk-providers.ts';

export interface InitialSubscribersProps {
  readonly articles: ArticleBucket;
  /** Non-empty: the construct is only created when there is something to write. */
  readonly subscribers: readonly string[];
}

export class InitialSubscribers extends Construct {
  readonly resource: cr.AwsCustomResource;

  constructor(scope: Construct, id: string, props: InitialSubscribersProps) {
    super(scope, id);
    const putObject: cr.AwsSdkCall = {
      service: 'S3',
      action: 'putObject',
      parameters: {
        Bucket: props.articles.bucket.bucketName,
        Key: FIXED_KEYS.initialSubscribers,
        Body: JSON.stringify({ subscribers: props.subscribers }),
        ContentType: 'application/json',
      },
      // The physical id changes with the list, so a changed list is written again on update.
      physicalResourceId: cr.PhysicalResourceId.of(`initial-subscribers-${props.subscribers.length}`),
      // The response of PutObject is not needed; returning nothing keeps it out of CloudFormation.
      outputPaths: ['ETag'],
    };
    this.resource = new cr.AwsCustomResource(this, 'Write', {
      onCreate: putObject,
      onUpdate: putObject,
      installLatestAwsSdk: false,
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({
          actions: ['s3:PutObject'],
          resources: [props.articles.objectsArn('initialSubscribers')],
        }),
      ]),
    });
    acknowledgeCdkProvider(
      this,
      CDK_PROVIDER_IDS.awsCustomResource,
      'AwsCustomResource writing subscribers/initial.json',
    );
  }
}
