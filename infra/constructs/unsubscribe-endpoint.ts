/**
 * One-click unsubscribe (RFC 8058): a public Function URL whose only authorisation is an HMAC token of the
 * address, keyed with a secret that the stack generates in Secrets Manager and never puts in code or logs.
 */
import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ENV_NAMES } from '../../functions/contracts.ts';
import type { ArticleBucket } from './article-bucket.ts';
import { DigestFunction } from './digest-function.ts';

/** 64 alphanumeric characters ≈ 380 bits: far beyond brute force for an HMAC-SHA256 key. */
export const HMAC_KEY_LENGTH = 64;

/**
 * Unsubscribe requests handled at once. The Function URL is public and unthrottled, so without a cap a
 * flood of requests could take the account's whole Lambda concurrency (10 on a new account) and starve
 * ingest and send; a person unsubscribing never needs more than a couple at once, and a request over
 * the cap gets HTTP 429 and can be retried.
 */
export const UNSUBSCRIBE_CONCURRENCY = 2;

export interface UnsubscribeEndpointProps {
  readonly articles: ArticleBucket;
  readonly entry: string;
  readonly brandName: string;
  readonly removalPolicy: RemovalPolicy;
}

export class UnsubscribeEndpoint extends Construct {
  readonly function: DigestFunction;
  readonly url: lambda.FunctionUrl;
  readonly secret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: UnsubscribeEndpointProps) {
    super(scope, id);

    this.secret = new secretsmanager.Secret(this, 'TokenKey', {
      description: 'news-digest: HMAC key of the unsubscribe tokens',
      generateSecretString: { passwordLength: HMAC_KEY_LENGTH, excludePunctuation: true },
      removalPolicy: props.removalPolicy,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The HMAC key signs the unsubscribe links in every email already sent; rotating it would silently break those links, which RFC 8058 and anti-spam law require to keep working.',
    });

    this.function = new DigestFunction(this, 'Unsubscribe', {
      entry: props.entry,
      name: 'unsubscribe',
      description: 'RFC 8058 one-click unsubscribe (POST) and confirmation page (GET)',
      memorySize: 256,
      timeout: Duration.seconds(10),
      reservedConcurrency: UNSUBSCRIBE_CONCURRENCY,
      removalPolicy: props.removalPolicy,
      environment: {
        [ENV_NAMES.bucketName]: props.articles.bucket.bucketName,
        [ENV_NAMES.unsubscribeSecretArn]: this.secret.secretArn,
        [ENV_NAMES.brandName]: props.brandName,
      },
    });
    // It reads the whole list (initial subscribers included) to answer, but may write only list.json: the
    // endpoint is public, so it must never be able to change the stack's initial subscribers.
    props.articles.grantObjects(this.function.function, this.function, {
      read: ['subscriberList', 'initialSubscribers'],
      write: ['subscriberList'],
    });
    this.grantKeyRead(this.function.function);

    this.url = this.function.function.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
  }

  /** secretsmanager:GetSecretValue and DescribeSecret on this one secret. */
  grantKeyRead(grantee: iam.IGrantable): void {
    this.secret.grantRead(grantee);
  }
}
