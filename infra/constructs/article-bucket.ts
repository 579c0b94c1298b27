/**
 * The one bucket that holds everything, by prefix, and a helper that grants a function exactly the
 * prefixes it needs with exact S3 actions (CDK's grantRead/grantWrite emit wildcard actions such as
 * s3:GetObject* and s3:List*, which this project forbids).
 */
import { type CfnElement, Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, type IConstruct } from 'constructs';

export const PREFIXES = {
  /** Contributors drop articles here; each ObjectCreated event feeds the ingest queue. */
  incoming: 'incoming/',
  /** One digest per day: digests/<YYYY-MM-DD>.json. */
  digests: 'digests/',
  /** Files that cannot become an article, with the reason: quarantine/<key>.json. */
  quarantine: 'quarantine/',
  /** The subscriber list (and subscribers/initial.json written at deploy time). */
  subscribers: 'subscribers/',
  /** The send ledger: one entry per (day, subscriber), so that a retry never emails anyone twice. */
  sent: 'sent/',
  /** Incremental per-day ingest state (LSH bands, story centroids, summaries). */
  state: 'state/',
} as const;

export type PrefixName = keyof typeof PREFIXES;

/** Quarantined files are kept this long for an operator to inspect or replay, then expire. */
export const QUARANTINE_RETENTION = Duration.days(30);
/** Older versions of overwritten objects (digests, state, subscribers) stay restorable this long. */
export const NONCURRENT_VERSION_RETENTION = Duration.days(30);
/** Server access logs are kept for this long (security investigations rarely look back further). */
export const ACCESS_LOG_RETENTION = Duration.days(90);

export interface ArticleBucketProps {
  readonly removalPolicy: RemovalPolicy;
  /** Empty the buckets on stack deletion (only meaningful with RemovalPolicy.DESTROY). */
  readonly autoDeleteObjects: boolean;
}

/** What a function may do under which prefixes. */
export interface PrefixAccess {
  /** s3:GetObject on `<prefix>*` (and s3:ListBucket on the bucket, for 404-on-missing semantics). */
  readonly read?: readonly PrefixName[];
  /** s3:PutObject on `<prefix>*`. */
  readonly write?: readonly PrefixName[];
  /** s3:DeleteObject on `<prefix>*`. */
  readonly delete?: readonly PrefixName[];
}

export class ArticleBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly accessLogBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: ArticleBucketProps) {
    super(scope, id);

    this.accessLogBucket = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      // S3 server access logging only delivers to SSE-S3 buckets.
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: ACCESS_LOG_RETENTION }],
      removalPolicy: props.removalPolicy,
      autoDeleteObjects: props.autoDeleteObjects,
    });
    Validations.of(this.accessLogBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the server-access-log destination of the article bucket; logging it into itself would loop and into another bucket would only move the question.',
    });

    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'article-bucket/',
      lifecycleRules: [
        { id: 'expire-quarantine', prefix: PREFIXES.quarantine, expiration: QUARANTINE_RETENTION },
        { id: 'expire-noncurrent-versions', noncurrentVersionExpiration: NONCURRENT_VERSION_RETENTION },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
      removalPolicy: props.removalPolicy,
      autoDeleteObjects: props.autoDeleteObjects,
    });
  }

  /** ARN pattern of every object under a prefix. */
  objectsArn(prefix: PrefixName): string {
    return `${this.bucket.bucketArn}/${PREFIXES[prefix]}*`;
  }

  /**
   * Grant exactly `access` to `grantee`, and acknowledge the resulting prefix wildcards (AwsSolutions-IAM5
   * Resource findings) on `owner` with the reason: object keys under a prefix are data, not known in advance.
   */
  grantPrefixes(grantee: iam.IGrantable, owner: IConstruct, access: PrefixAccess): void {
    const read = access.read ?? [];
    const write = access.write ?? [];
    const remove = access.delete ?? [];
    const statement = (actions: string[], prefixes: readonly PrefixName[]) =>
      new iam.PolicyStatement({ actions, resources: prefixes.map((p) => this.objectsArn(p)) });
    if (read.length > 0) {
      grantee.grantPrincipal.addToPrincipalPolicy(statement(['s3:GetObject'], read));
      // s3:ListBucket on the bucket itself, deliberately without an s3:prefix condition: S3 answers a GET of a
      // missing key with 404 NoSuchKey only when the caller may list the bucket — the implicit check carries no
      // prefix, so a prefix-conditioned grant would turn every "not there yet" (a new day's state, a first
      // ledger entry) into 403 AccessDenied. It reveals key names, never contents; keys must hold no addresses.
      grantee.grantPrincipal.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }),
      );
    }
    if (write.length > 0) grantee.grantPrincipal.addToPrincipalPolicy(statement(['s3:PutObject'], write));
    if (remove.length > 0)
      grantee.grantPrincipal.addToPrincipalPolicy(statement(['s3:DeleteObject'], remove));

    const logicalId = Stack.of(this).resolve(
      (this.bucket.node.defaultChild as CfnElement).logicalId,
    ) as string;
    for (const prefix of new Set([...read, ...write, ...remove])) {
      Validations.of(owner).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/${PREFIXES[prefix]}*]`,
        reason: `Object keys under ${PREFIXES[prefix]} are data (article names, dates, addresses) and cannot be listed in advance; access is scoped to that one prefix with exact actions.`,
      });
    }
  }
}
