/**
 * The archive site in the stack: CloudFront with Origin Access Control over the private bucket (HTTPS
 * only, the response-headers policy), a bucket policy that lets CloudFront read site/* and nothing else
 * (and lets nobody else read anything), the publisher triggered by digests/, the SiteUrl output, and
 * archiveBaseUrl defaulting to the distribution.
 */
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { PUBLISHER_CONCURRENCY } from '../../infra/constructs/archive-site.ts';
import { READER_CONCURRENCY } from '../../infra/constructs/reader-endpoint.ts';
import { type Synthesised, synthesise } from './synth.ts';

type Json = Record<string, unknown>;
let synth: Synthesised;
let template: Template;
let resources: Record<string, { Type: string; Properties?: Json }>;

const idOf = (construct: { node: { defaultChild?: unknown } }) =>
  synth.stack.resolve((construct.node.defaultChild as { logicalId: string }).logicalId) as string;

beforeAll(() => {
  synth = synthesise();
  template = synth.template;
  resources = template.toJSON().Resources;
});

describe('the archive site', () => {
  it('is served by CloudFront through Origin Access Control from site/, HTTPS only, index.html at the root', () => {
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
      }),
    });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        Origins: [
          Match.objectLike({
            OriginPath: '/site',
            OriginAccessControlId: Match.anyValue(),
            S3OriginConfig: { OriginAccessIdentity: '' },
          }),
        ],
        DefaultCacheBehavior: Match.objectLike({
          ViewerProtocolPolicy: 'https-only',
          AllowedMethods: ['GET', 'HEAD'],
          ResponseHeadersPolicyId: { Ref: idOf(synth.stack.site.headersPolicy) },
        }),
      }),
    });
  });

  it('sends HSTS, a script-free CSP, nosniff and no-referrer on every response', () => {
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          StrictTransportSecurity: Match.objectLike({ AccessControlMaxAgeSec: 63_072_000, Override: true }),
          ContentTypeOptions: { Override: true },
          ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ContentSecurityPolicy: Match.objectLike({ Override: true }),
        }),
      }),
    });
    const policy = Object.values(resources).find((r) => r.Type === 'AWS::CloudFront::ResponseHeadersPolicy');
    const csp = JSON.stringify(
      (policy?.Properties?.ResponseHeadersPolicyConfig as Json | undefined)?.SecurityHeadersConfig,
    );
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/script-src|unsafe-inline|unsafe-eval/);
  });

  it('keeps the bucket private: CloudFront may read site/* of this distribution only, nobody else anything', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: Match.absent(),
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      VersioningConfiguration: { Status: 'Enabled' },
    });
    const statements = Object.values(resources)
      .filter((r) => r.Type === 'AWS::S3::BucketPolicy')
      .flatMap((r) => (r.Properties?.PolicyDocument as { Statement: Json[] } | undefined)?.Statement ?? []);
    const allows = statements.filter((s) => s.Effect === 'Allow');
    for (const s of allows) expect(JSON.stringify(s.Principal)).not.toMatch(/"\*"|"AWS":"\*"/);
    const cloudfront = allows.filter((s) => JSON.stringify(s.Principal).includes('cloudfront.amazonaws.com'));
    expect(cloudfront).toHaveLength(1);
    expect(cloudfront[0]?.Action).toBe('s3:GetObject');
    expect(JSON.stringify(cloudfront[0]?.Resource)).toMatch(/\/site\/\*"/);
    expect(JSON.stringify(cloudfront[0]?.Condition)).toContain(idOf(synth.stack.site.distribution));
  });

  it('publishes from a function triggered by digests/*.json, one at a time, writing site/ and its manifest only', () => {
    const publisher = idOf(synth.stack.site.publisher.function);
    expect(resources[publisher]?.Properties?.ReservedConcurrentExecutions).toBe(PUBLISHER_CONCURRENCY);
    const notifications = Object.values(resources).find((r) => r.Type === 'Custom::S3BucketNotifications');
    const lambdaConfigs = (notifications?.Properties?.NotificationConfiguration as Json | undefined)
      ?.LambdaFunctionConfigurations;
    expect(lambdaConfigs).toEqual([
      expect.objectContaining({
        Events: ['s3:ObjectCreated:*'],
        Filter: {
          Key: {
            FilterRules: expect.arrayContaining([
              { Name: 'prefix', Value: 'digests/' },
              { Name: 'suffix', Value: '.json' },
            ]),
          },
        },
      }),
    ]);
    const role = idOf(synth.stack.site.publisher.role);
    const puts = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties?.Roles).includes(role))
      .flatMap((r) => (r.Properties?.PolicyDocument as { Statement: Json[] } | undefined)?.Statement ?? [])
      .filter((s) => s.Action === 's3:PutObject');
    expect(JSON.stringify(puts)).toMatch(/\/site\/\*/);
    expect(JSON.stringify(puts)).toMatch(/state\/site\.json/);
    expect(JSON.stringify(puts)).not.toMatch(/subscribers|digests|newsroom/);
  });

  it('outputs the site URL, which the emails link to unless archiveBaseUrl names another', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.SiteUrl?.Value).toEqual({
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [idOf(synth.stack.site.distribution), 'DomainName'] }]],
    });
    const custom = synthesise({ archiveBaseUrl: 'https://news.example.org/archive/' });
    const customOutputs = custom.template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(customOutputs.SiteUrl?.Value).toBe('https://news.example.org/archive');
    expect(custom.violations).toEqual([]);
  });
});

describe('the reader endpoint', () => {
  it('is a Function URL with reserved concurrency, that may write only subscribers/list.json and send only as the sender', () => {
    const fn = idOf(synth.stack.reader.function.function);
    expect(resources[fn]?.Properties?.ReservedConcurrentExecutions).toBe(READER_CONCURRENCY);
    // The preference page shows readers who chose no hour the operator's.
    expect(resources[fn]?.Properties?.Environment).toMatchObject({
      Variables: { SCHEDULE_HOUR: String(synth.config.scheduleHour) },
    });
    template.hasResourceProperties('AWS::Lambda::Url', {
      AuthType: 'NONE',
      TargetFunctionArn: { 'Fn::GetAtt': [fn, 'Arn'] },
    });
    const role = idOf(synth.stack.reader.function.role);
    const statements = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties?.Roles).includes(role))
      .flatMap((r) => (r.Properties?.PolicyDocument as { Statement: Json[] } | undefined)?.Statement ?? []);
    const puts = statements.filter((s) => s.Action === 's3:PutObject');
    expect(JSON.stringify(puts)).toMatch(/subscribers\/list\.json/);
    expect(JSON.stringify(puts)).not.toMatch(/initial\.json|site|digests/);
    const ses = statements.filter((s) => JSON.stringify(s.Action).includes('ses:'));
    expect(ses.map((s) => s.Action)).toEqual(['ses:SendRawEmail']);
    expect(JSON.stringify(ses[0]?.Resource)).toContain(idOf(synth.stack.sender.identity));
    // Every send names the configuration set, which SES authorises too.
    expect(JSON.stringify(ses[0]?.Resource)).toContain(':configuration-set/');
  });

  it('is linked from every email: send and send-worker get its preference page', () => {
    for (const fn of [synth.stack.sender.sendFunction, synth.stack.sender.workerFunction]) {
      const environment = resources[idOf(fn.function)]?.Properties?.Environment as
        | { Variables: Json }
        | undefined;
      const variables = environment?.Variables ?? {};
      expect(JSON.stringify(variables.PREFERENCES_URL)).toContain(idOf(synth.stack.reader.url as never));
      expect(JSON.stringify(variables.PREFERENCES_URL)).toContain('preferences');
    }
  });

  it('is where the archive’s sign-up form posts', () => {
    const publisher = resources[idOf(synth.stack.site.publisher.function)]?.Properties?.Environment as {
      Variables: Json;
    };
    expect(JSON.stringify(publisher.Variables.SIGNUP_URL)).toContain(idOf(synth.stack.reader.url as never));
  });
});
