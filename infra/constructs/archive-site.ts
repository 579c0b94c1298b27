/**
 * The public archive: a publisher function that rewrites site/ when a digest changes (S3 ObjectCreated on
 * digests/), and a CloudFront distribution that serves site/ from the private bucket through Origin Access
 * Control, HTTPS only, with a response-headers policy (HSTS, CSP, nosniff, referrer policy). CloudFront may
 * read site/* and nothing else in the bucket.
 */
import { Annotations, Aws, Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import { Construct } from 'constructs';
import { BUCKET_PREFIXES, ENV_NAMES } from '../../functions/contracts.ts';
import { HSTS_MAX_AGE_SECONDS, siteContentSecurityPolicy } from '../../functions/core/site/headers.ts';
import type { ArticleBucket } from './article-bucket.ts';
import { DigestFunction } from './digest-function.ts';

/** One publisher at a time: each rewrites the index, the feeds and the manifest from the current digests. */
export const PUBLISHER_CONCURRENCY = 1;
/** Rendering a day and the index takes milliseconds; the rest is a few dozen S3 requests. */
export const PUBLISHER_TIMEOUT = Duration.minutes(1);

export interface ArchiveSiteProps {
  readonly articles: ArticleBucket;
  readonly entry: string;
  readonly removalPolicy: RemovalPolicy;
  /** The operator's archiveBaseUrl; undefined: the distribution's own https URL. */
  readonly archiveBaseUrl?: string;
  /** Brand settings the pages show (the same as the email's). */
  readonly environment: Readonly<Record<string, string>>;
}

export class ArchiveSite extends Construct {
  readonly distribution: cloudfront.Distribution;
  readonly publisher: DigestFunction;
  readonly headersPolicy: cloudfront.ResponseHeadersPolicy;
  /** Where the site is read: archiveBaseUrl when configured, else https://<distribution domain>. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ArchiveSiteProps) {
    super(scope, id);
    const bucket = props.articles.bucket;

    // The sign-up endpoint is a Lambda Function URL of this account and region.
    const formAction = `https://*.lambda-url.${Aws.REGION}.on.aws`;
    this.headersPolicy = new cloudfront.ResponseHeadersPolicy(this, 'Headers', {
      comment: 'news-digest archive: HSTS, CSP (no script), nosniff, no referrer, no framing',
      securityHeadersBehavior: {
        strictTransportSecurity: {
          accessControlMaxAge: Duration.seconds(HSTS_MAX_AGE_SECONDS),
          includeSubdomains: true,
          override: true,
        },
        contentSecurityPolicy: {
          contentSecurityPolicy: siteContentSecurityPolicy(formAction),
          override: true,
        },
        contentTypeOptions: { override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
      },
    });

    // The bucket is imported for the origin so that CDK does not add its own OAC statement, which
    // would let CloudFront read every object (subscribers included); the statement below names site/*.
    const originBucket = s3.Bucket.fromBucketAttributes(this, 'OriginBucket', {
      bucketArn: bucket.bucketArn,
      bucketRegionalDomainName: bucket.bucketRegionalDomainName,
    });
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'news-digest archive site',
      defaultRootObject: 'index.html',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(originBucket, {
          originPath: `/${BUCKET_PREFIXES.site.replace(/\/$/, '')}`,
        }),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        // Honours each object's Cache-Control: five minutes for pages and feeds, a year for the hashed style sheet.
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.headersPolicy,
        compress: true,
      },
      // Without s3:ListBucket a missing key is a 403; readers get the index with a 404 status instead.
      errorResponses: [
        {
          httpStatus: 403,
          responseHttpStatus: 404,
          responsePagePath: '/index.html',
          ttl: Duration.minutes(5),
        },
      ],
    });
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudFrontReadsTheArchiveSiteOnly',
        principals: [new iam.ServicePrincipal('cloudfront.amazonaws.com')],
        actions: ['s3:GetObject'],
        resources: [props.articles.objectsArn('site')],
        conditions: {
          StringEquals: {
            'AWS:SourceArn': `arn:${Aws.PARTITION}:cloudfront::${Aws.ACCOUNT_ID}:distribution/${this.distribution.distributionId}`,
          },
        },
      }),
    );
    Annotations.of(this.distribution).acknowledgeWarning(
      '@aws-cdk/aws-cloudfront-origins:updateImportedBucketPolicyOac',
      'Deliberate: the bucket statement above grants CloudFront site/* only, where CDK would grant the whole bucket.',
    );
    for (const [rule, reason] of Object.entries(DISTRIBUTION_ACKNOWLEDGEMENTS)) {
      Validations.of(this.distribution).acknowledge({ id: rule, reason });
    }

    this.url = props.archiveBaseUrl ?? `https://${this.distribution.distributionDomainName}`;
    this.publisher = new DigestFunction(this, 'Publisher', {
      entry: props.entry,
      name: 'publish',
      description: 'Rewrites the archive site (day page, index, feeds) under site/ when a digest changes',
      memorySize: 512,
      timeout: PUBLISHER_TIMEOUT,
      reservedConcurrency: PUBLISHER_CONCURRENCY,
      removalPolicy: props.removalPolicy,
      environment: {
        [ENV_NAMES.bucketName]: bucket.bucketName,
        [ENV_NAMES.siteUrl]: this.url,
        ...props.environment,
      },
    });
    props.articles.grantObjects(this.publisher.function, this.publisher, {
      read: ['digests', 'siteManifest'],
      write: ['site', 'siteManifest'],
    });
    bucket.addEventNotification(
      s3.EventType.OBJECT_CREATED,
      new s3n.LambdaDestination(this.publisher.function),
      {
        prefix: BUCKET_PREFIXES.digests,
        suffix: '.json',
      },
    );
  }
}

/** cdk-nag findings on the distribution that do not apply, each with the reason. */
const DISTRIBUTION_ACKNOWLEDGEMENTS: Readonly<Record<string, string>> = {
  'AwsSolutions-CFR1':
    'A public news archive is meant for readers anywhere; there is no jurisdiction to exclude.',
  'AwsSolutions-CFR2':
    'The site is static, read-only and script-free (GET/HEAD only, no query strings forwarded); a WAF web ACL (about USD 5 a month plus rules) would guard nothing the origin exposes.',
  'AwsSolutions-CFR3':
    'Standard access logs need an ACL-enabled bucket, and the stack keeps every bucket BucketOwnerEnforced (no ACLs); CloudFront metrics show traffic, and the pages carry no personal data.',
  'AwsSolutions-CFR4':
    'The default *.cloudfront.net certificate cannot set a minimum TLS version; with a custom domain (archiveBaseUrl) the operator attaches a certificate and TLSv1.2_2021.',
};
