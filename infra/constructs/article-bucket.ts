/**
 * The one bucket that holds everything, by prefix, and a helper that grants a function exactly the
 * objects it needs with exact S3 actions (CDK's grantRead/grantWrite emit wildcard actions such as
 * s3:GetObject* and s3:List*, which this project forbids). Prefixes whose keys are data are granted as
 * `prefix/*`; state/ and subscribers/ hold only fixed keys, which are granted one by one. The layout itself
 * is a shared contract: functions/contracts.ts.
 */
import { type CfnElement, Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, type IConstruct } from 'constructs';
import {
  BUCKET_PREFIXES,
  type BucketPrefixName,
  FIXED_KEYS,
  type FixedKeyName,
} from '../../functions/contracts.ts';

/** Prefixes that hold only fixed keys: they are never granted as `prefix/*`. */
type FixedKeyPrefix = 'state' | 'subscribers' | 'control';

/** Prefixes whose keys are data, so a grant must cover `prefix/*`. */
export type DataPrefixName = Exclude<BucketPrefixName, FixedKeyPrefix>;

/**
 * Why a grant on `prefix/*` cannot name its keys: what the keys are. Shown as the reason of the
 * AwsSolutions-IAM5 acknowledgement, so it must stay true for that prefix.
 */
const DATA_PREFIX_KEYS: Record<DataPrefixName, string> = {
  incoming: 'Keys under incoming/ are whatever names contributors give the files they drop in',
  digests: 'Keys under digests/ are days (digests/<YYYY-MM-DD>.json), one more each day',
  quarantine:
    'Keys under quarantine/ mirror the incoming/ keys of rejected files (quarantine/<incoming key>.json)',
  itemValues:
    'Keys under item-values/ are SHA-256 hashes of item values too large for the item table (item-values/<hash>.json.gz)',
  site: 'Keys under site/ are the archive pages, one more each day (site/<YYYY-MM-DD>.html), beside the index, archive pages, feeds and a content-hashed style sheet',
  digestRequests:
    'Keys under digest-requests/ are days (digest-requests/<YYYY-MM-DD>), one more each day a file arrives for',
  sent: 'Send-ledger keys under sent/ are sent/<day>/<SHA-256 of the address>.json, one per day and subscriber (no address appears in a key)',
};

/** What a grant may name: every object under a data prefix, or one fixed key. */
export type ObjectScope = DataPrefixName | FixedKeyName;

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

/** What a function may do to which objects. */
export interface ObjectAccess {
  /** s3:GetObject (and s3:ListBucket on the bucket, for 404-on-missing semantics). */
  readonly read?: readonly ObjectScope[];
  /** s3:PutObject. */
  readonly write?: readonly ObjectScope[];
  /** s3:DeleteObject. */
  readonly delete?: readonly ObjectScope[];
}

function isFixedKey(scope: ObjectScope): scope is FixedKeyName {
  return Object.hasOwn(FIXED_KEYS, scope);
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
        { id: 'expire-quarantine', prefix: BUCKET_PREFIXES.quarantine, expiration: QUARANTINE_RETENTION },
        { id: 'expire-noncurrent-versions', noncurrentVersionExpiration: NONCURRENT_VERSION_RETENTION },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
      removalPolicy: props.removalPolicy,
      autoDeleteObjects: props.autoDeleteObjects,
    });
  }

  /** ARN of every object under a data prefix (`…/prefix/*`), or of exactly one fixed key. */
  objectsArn(scope: ObjectScope): string {
    const path = isFixedKey(scope) ? FIXED_KEYS[scope] : `${BUCKET_PREFIXES[scope]}*`;
    return `${this.bucket.bucketArn}/${path}`;
  }

  /**
   * Grant exactly `access` to `grantee`. Fixed keys are granted by their exact ARN; each data prefix leaves
   * an AwsSolutions-IAM5 Resource finding, acknowledged on `owner` with what that prefix's keys are.
   */
  grantObjects(grantee: iam.IGrantable, owner: IConstruct, access: ObjectAccess): void {
    const read = access.read ?? [];
    const write = access.write ?? [];
    const remove = access.delete ?? [];
    const statement = (actions: string[], scopes: readonly ObjectScope[]) =>
      new iam.PolicyStatement({ actions, resources: scopes.map((scope) => this.objectsArn(scope)) });
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

    for (const scope of new Set([...read, ...write, ...remove])) {
      if (!isFixedKey(scope))
        this.acknowledgePrefixWildcard(
          owner,
          scope,
          'access is scoped to that one prefix with exact actions',
        );
    }
  }

  /** Acknowledge the AwsSolutions-IAM5 finding of a `prefix/*` resource on `owner`, saying why it is needed. */
  acknowledgePrefixWildcard(owner: IConstruct, prefix: DataPrefixName, scoping: string): void {
    const logicalId = Stack.of(this).resolve(
      (this.bucket.node.defaultChild as CfnElement).logicalId,
    ) as string;
    Validations.of(owner).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/${BUCKET_PREFIXES[prefix]}*]`,
      reason: `${DATA_PREFIX_KEYS[prefix]}, so they cannot be listed in advance; ${scoping}.`,
    });
  }
}
