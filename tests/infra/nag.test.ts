import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { acknowledgements, type Synthesised, synthesise } from './synth.ts';

let synth: Synthesised;

beforeAll(() => {
  synth = synthesise();
});

/** Logical-id hashes change with construct paths; compare rule ids with them masked. */
const normalise = (id: string) => id.replace(/[A-F0-9]{8}(?=[.>])/g, '#');

describe('cdk-nag AwsSolutions', () => {
  it('reports nothing that is not acknowledged (synth would throw; the report is empty too)', () => {
    expect(synth.violations).toEqual([]);
  });

  it('really runs: an unacknowledged insecure queue fails synth with its rule ids', () => {
    expect(() =>
      synthesise({}, (stack) => {
        new sqs.Queue(stack, 'Insecure', { encryption: sqs.QueueEncryption.UNENCRYPTED });
      }),
    ).toThrow(/AwsSolutions-SQS3[\s\S]*AwsSolutions-SQS4/);
  });

  it('fails on warnings too: an unacknowledged network ACL (AwsSolutions-VPC3, a warning) stops synth', () => {
    expect(() =>
      synthesise({}, (stack) => {
        new ec2.CfnNetworkAcl(stack, 'Acl', { vpcId: 'vpc-0123456789abcdef0' });
      }),
    ).toThrow(/WARNING[\s\S]*NewsDigestTest\/Acl[\s\S]*AwsSolutions-VPC3/);
  });

  it('every acknowledgement carries a real reason', () => {
    const acks = acknowledgements(synth.stack);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.reason.length, `${ack.path} ${ack.id}`).toBeGreaterThanOrEqual(60);
      expect(ack.reason, `${ack.path} ${ack.id}`).not.toMatch(/placeholder|todo|tbd|fixme/i);
    }
  });

  it('no acknowledgement excuses a wildcard action', () => {
    const actionAcks = acknowledgements(synth.stack).filter((a) => a.id.includes('[Action::'));
    expect(actionAcks).toEqual([]);
  });

  it('acknowledges exactly the reviewed list of findings (a new one needs a reviewed reason here too)', () => {
    // state/ and subscribers/ hold fixed keys, granted by exact ARN: no prefix wildcard to excuse there.
    const rules = acknowledgements(synth.stack).map(
      (a) => `${a.path.replace(/^[^/]+\//, '')} ${normalise(a.id)}`,
    );
    expect(rules.sort()).toEqual(
      [
        'Articles/AccessLogs Annotation::AwsSolutions-S1',
        'IngestPipeline/Ingest Annotation::AwsSolutions-IAM5[Resource::<IngestPipelineIngestLogs#.Arn>:*]',
        'IngestPipeline/Ingest Annotation::AwsSolutions-IAM5[Resource::<ArticlesBucket#.Arn>/incoming/*]',
        'IngestPipeline/Ingest Annotation::AwsSolutions-IAM5[Resource::<ArticlesBucket#.Arn>/item-values/*]',
        'IngestPipeline/Ingest Annotation::AwsSolutions-IAM5[Resource::<ArticlesBucket#.Arn>/digest-requests/*]',
        'DigestBuilder/Builder Annotation::AwsSolutions-IAM5[Resource::<DigestBuilderLogs#.Arn>:*]',
        'DigestBuilder/Builder Annotation::AwsSolutions-IAM5[Resource::<ArticlesBucket#.Arn>/digests/*]',
        'DigestBuilder/Builder Annotation::AwsSolutions-IAM5[Resource::<ArticlesBucket#.Arn>/item-values/*]',
        'IngestPipeline/Ingest Annotation::AwsSolutions-IAM5[Resource::<ArticlesBucket#.Arn>/quarantine/*]',
        'BucketNotificationsHandler050a0587b7544547bf325f094a3db834 Annotation::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        'UnsubscribeEndpoint/TokenKey Annotation::AwsSolutions-SMG4',
        'AlarmTopic/Topic Annotation::AwsSolutions-SNS2',
        'OperatorPolicies/Contributor Annotation::AwsSolutions-IAM5[Resource::<ArticlesBucket#.Arn>/incoming/*]',
        'UnsubscribeEndpoint/Unsubscribe Annotation::AwsSolutions-IAM5[Resource::<UnsubscribeEndpointUnsubscribeLogs#.Arn>:*]',
        'BriefingSender/Send Annotation::AwsSolutions-IAM5[Resource::<BriefingSenderSendLogs#.Arn>:*]',
        'BriefingSender/Send Annotation::AwsSolutions-IAM5[Resource::<ArticlesBucket#.Arn>/digests/*]',
        'BriefingSender/Send Annotation::AwsSolutions-IAM5[Resource::<ArticlesBucket#.Arn>/sent/*]',
        'BriefingSender/Send Annotation::AwsSolutions-IAM5[Resource::*]',
        'BriefingSender/FailedSends Annotation::AwsSolutions-SQS3',
        'BriefingSender/SendWorker Annotation::AwsSolutions-IAM5[Resource::<BriefingSenderSendWorkerLogs#.Arn>:*]',
        'BriefingSender/SendWorker Annotation::AwsSolutions-IAM5[Resource::<ArticlesBucket#.Arn>/digests/*]',
        'BriefingSender/SendWorker Annotation::AwsSolutions-IAM5[Resource::<ArticlesBucket#.Arn>/sent/*]',
        'BriefingSender/SendWorker Annotation::AwsSolutions-IAM5[Resource::*]',
        'BriefingSender/SchedulerRole Annotation::AwsSolutions-IAM5[Resource::<BriefingSenderSendFunction#.Arn>:*]',
        'ReaderEndpoint/Reader Annotation::AwsSolutions-IAM5[Resource::<ReaderEndpointReaderLogs#.Arn>:*]',
        'ArchiveSite/Distribution Annotation::AwsSolutions-CFR1',
        'ArchiveSite/Distribution Annotation::AwsSolutions-CFR2',
        'ArchiveSite/Distribution Annotation::AwsSolutions-CFR3',
        'ArchiveSite/Distribution Annotation::AwsSolutions-CFR4',
        'ArchiveSite/Publisher Annotation::AwsSolutions-IAM5[Resource::<ArchiveSitePublisherLogs#.Arn>:*]',
        'ArchiveSite/Publisher Annotation::AwsSolutions-IAM5[Resource::<ArticlesBucket#.Arn>/digests/*]',
        'ArchiveSite/Publisher Annotation::AwsSolutions-IAM5[Resource::<ArticlesBucket#.Arn>/site/*]',
        'SesFeedback/Events Annotation::AwsSolutions-SNS2',
        'SesFeedback/Feedback Annotation::AwsSolutions-IAM5[Resource::<SesFeedbackLogs#.Arn>:*]',
        'SesFeedback/Guard Annotation::AwsSolutions-IAM5[Resource::<SesFeedbackGuardLogs#.Arn>:*]',
      ].sort(),
    );
  });

  it('each prefix wildcard is excused by what that prefix’s keys are, not by a generic reason', () => {
    const whatKeysAre: Record<string, RegExp> = {
      'incoming/': /names contributors give/,
      'digests/': /<YYYY-MM-DD>/,
      'quarantine/': /mirror the incoming\/ keys/,
      'sent/': /SHA-256 of the address/,
      'site/': /archive pages, one more each day/,
    };
    const prefixAcks = acknowledgements(synth.stack).filter((a) => /\.Arn>\/[a-z]+\/\*\]$/.test(a.id));
    expect(prefixAcks.length).toBeGreaterThan(0);
    for (const ack of prefixAcks) {
      const prefix = /\/([a-z]+\/)\*\]$/.exec(ack.id)?.[1] ?? '';
      expect(Object.keys(whatKeysAre), ack.id).toContain(prefix);
      expect(ack.reason, ack.id).toMatch(whatKeysAre[prefix] as RegExp);
    }
  });

  it('stays clean with removalPolicy=destroy (auto-delete providers) and without initial subscribers', () => {
    expect(synthesise({ removalPolicy: 'destroy', initialSubscribers: [] }).violations).toEqual([]);
  });
});
