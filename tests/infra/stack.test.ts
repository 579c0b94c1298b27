import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DigestStack } from '../../infra/digest-stack.ts';
import { type Synthesised, synthesise } from './synth.ts';

type Json = Record<string, unknown>;
type Resources = Record<string, { Type: string; Properties?: Json; DependsOn?: unknown }>;

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

let synth: Synthesised;
let template: Template;
let resources: Resources;

beforeAll(() => {
  synth = synthesise();
  template = synth.template;
  resources = template.toJSON().Resources as Resources;
});

/** Render an intrinsic the way cdk-nag does: GetAtt → <Id.Attr>, Ref → <Id>, Join → concatenation. */
function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const v = value as Json;
    if ('Fn::GetAtt' in v) return `<${(v['Fn::GetAtt'] as string[]).join('.')}>`;
    if ('Ref' in v) return `<${String(v.Ref)}>`;
    if ('Fn::Join' in v) {
      const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
      return parts.map(flatten).join(sep);
    }
  }
  return JSON.stringify(value);
}

const asArray = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

function logicalIdOf(
  construct: { node: { defaultChild?: unknown } },
  stack: DigestStack = synth.stack,
): string {
  const child = construct.node.defaultChild as { logicalId: string };
  return stack.resolve(child.logicalId) as string;
}

/** Every statement of every IAM policy in the template, with the roles it is attached to. */
function allStatements(): { policy: string; roles: string[]; statement: Statement }[] {
  const out: { policy: string; roles: string[]; statement: Statement }[] = [];
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') {
      const doc = r.Properties?.PolicyDocument as { Statement: Statement[] };
      const roles = ((r.Properties?.Roles as { Ref: string }[]) ?? []).map((x) => x.Ref);
      for (const statement of doc.Statement) out.push({ policy: id, roles, statement });
    }
    if (r.Type === 'AWS::IAM::Role') {
      for (const p of (r.Properties?.Policies as { PolicyDocument: { Statement: Statement[] } }[]) ?? []) {
        for (const statement of p.PolicyDocument.Statement) out.push({ policy: id, roles: [id], statement });
      }
    }
  }
  return out;
}

function statementsOfRole(roleLogicalId: string): Statement[] {
  return allStatements()
    .filter((s) => s.roles.includes(roleLogicalId))
    .map((s) => s.statement);
}

/** Properties of a resource that must exist. */
function props(logicalId: string): Json {
  const resource = resources[logicalId];
  if (resource === undefined) throw new Error(`no resource ${logicalId}`);
  return resource.Properties ?? {};
}

function bucketId(): string {
  return logicalIdOf(synth.stack.articles.bucket);
}

describe('article bucket', () => {
  it('blocks all public access, encrypts with S3-managed keys, is versioned and logs access elsewhere', () => {
    const logBucketId = logicalIdOf(synth.stack.articles.accessLogBucket);
    expect(resources[bucketId()]?.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { DestinationBucketName: { Ref: logBucketId } },
    });
  });

  it('denies every request that is not over TLS, on both buckets', () => {
    for (const bucket of [synth.stack.articles.bucket, synth.stack.articles.accessLogBucket]) {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: logicalIdOf(bucket) },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Principal: { AWS: '*' },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });

  it('expires quarantined files and old noncurrent versions', () => {
    const rules = (props(bucketId()).LifecycleConfiguration as { Rules: Json[] }).Rules;
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Prefix: 'quarantine/', ExpirationInDays: 30, Status: 'Enabled' }),
        expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: 30 }, Status: 'Enabled' }),
      ]),
    );
  });

  it('is retained on stack deletion by default, and destroyed (emptied first) with removalPolicy=destroy', () => {
    expect(template.toJSON().Resources[bucketId()].DeletionPolicy).toBe('Retain');
    const destroyed = synthesise({ removalPolicy: 'destroy' });
    const id = logicalIdOf(destroyed.stack.articles.bucket, destroyed.stack);
    expect(destroyed.template.toJSON().Resources[id].DeletionPolicy).toBe('Delete');
    destroyed.template.resourceCountIs('Custom::S3AutoDeleteObjects', 2);
    expect(destroyed.violations).toEqual([]);
  });
});

describe('ingest pipeline', () => {
  it('sends ObjectCreated events under incoming/ to the ingest queue, and under digest-requests/ to the digest builder', () => {
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: bucketId() },
      NotificationConfiguration: {
        QueueConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'incoming/' }] } },
            QueueArn: { 'Fn::GetAtt': [logicalIdOf(synth.stack.ingest.queue), 'Arn'] },
          },
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'digest-requests/' }] } },
            QueueArn: { 'Fn::GetAtt': [logicalIdOf(synth.stack.digestBuilder.queue), 'Arn'] },
          },
        ],
      },
    });
  });

  it('accepts messages on the ingest queue only from S3, only for this bucket', () => {
    const queue = logicalIdOf(synth.stack.ingest.queue);
    const policyIds = Object.entries(resources)
      .filter(
        ([, r]) =>
          r.Type === 'AWS::SQS::QueuePolicy' &&
          JSON.stringify(r.Properties?.Queues) === JSON.stringify([{ Ref: queue }]),
      )
      .map(([id]) => id);
    const allows = policyIds.flatMap((id) =>
      (props(id).PolicyDocument as { Statement: (Statement & { Principal: unknown })[] }).Statement.filter(
        (st) => st.Effect === 'Allow',
      ),
    );
    expect(allows).toEqual([
      expect.objectContaining({
        Principal: { Service: 's3.amazonaws.com' },
        Action: expect.arrayContaining(['sqs:SendMessage']),
        Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [bucketId(), 'Arn'] } } },
      }),
    ]);
  });

  it('dead-letters a message after 5 receives and keeps the queue invisible for ≥ 6 × the function timeout', () => {
    const queue = props(logicalIdOf(synth.stack.ingest.queue));
    expect(queue.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [logicalIdOf(synth.stack.ingest.deadLetterQueue), 'Arn'] },
      maxReceiveCount: 5,
    });
    const fn = props(logicalIdOf(synth.stack.ingest.function.function));
    expect(queue.VisibilityTimeout as number).toBeGreaterThanOrEqual(6 * (fn.Timeout as number));
  });

  it('encrypts and TLS-enforces every queue', () => {
    const queues = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::SQS::Queue');
    // Ingest, digest-builder, send and SES-feedback work queues, their DLQs, and the send function's
    // failed-invocation queue.
    expect(queues).toHaveLength(9);
    for (const [id, queue] of queues) {
      expect(queue.Properties?.SqsManagedSseEnabled).toBe(true);
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('feeds the ingest function in batches, with partial batch failure reporting and capped concurrency', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(synth.stack.ingest.queue), 'Arn'] },
      FunctionName: { Ref: logicalIdOf(synth.stack.ingest.function.function) },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 5,
      ScalingConfig: { MaximumConcurrency: 4 },
    });
  });

  it('feeds the digest builder many requests at once, after a batching window, so a busy day is rebuilt once per window', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(synth.stack.digestBuilder.queue), 'Arn'] },
      FunctionName: { Ref: logicalIdOf(synth.stack.digestBuilder.function.function) },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 20,
      ScalingConfig: { MaximumConcurrency: 2 },
    });
    const queue = props(logicalIdOf(synth.stack.digestBuilder.queue));
    expect(queue.RedrivePolicy).toEqual({
      deadLetterTargetArn: {
        'Fn::GetAtt': [logicalIdOf(synth.stack.digestBuilder.deadLetterQueue), 'Arn'],
      },
      maxReceiveCount: 5,
    });
  });
});

describe('item table', () => {
  const tableId = () => logicalIdOf(synth.stack.items.table);

  it('is one on-demand table keyed pk/sk, with point-in-time recovery, encryption under the AWS-managed KMS key and TTL on exp', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ]),
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      // SSEEnabled without a key of its own: the AWS-managed KMS key aws/dynamodb.
      SSESpecification: { SSEEnabled: true, KMSMasterKeyId: Match.absent() },
      TimeToLiveSpecification: { AttributeName: 'exp', Enabled: true },
    });
  });

  it('is retained on stack deletion by default, and deleted with removalPolicy=destroy', () => {
    expect(resources[tableId()]).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    const destroyed = synthesise({ removalPolicy: 'destroy' });
    const table = Object.values(destroyed.template.toJSON().Resources as Resources).find(
      (r) => r.Type === 'AWS::DynamoDB::Table',
    );
    expect(table).toMatchObject({ DeletionPolicy: 'Delete' });
  });

  it('is named to the ingest function, with the configured active days (30 by default)', () => {
    const ingest = logicalIdOf(synth.stack.ingest.function.function);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ ITEM_TABLE_NAME: { Ref: tableId() }, ACTIVE_DAYS: '30' }),
      },
    });
    expect(props(ingest).Environment).toMatchObject({ Variables: { ACTIVE_DAYS: '30' } });
    const longer = synthesise({ activeDays: 90 });
    longer.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ ACTIVE_DAYS: '90' }) },
    });
  });
});

describe('functions', () => {
  const functions = () =>
    Object.entries(resources).filter(
      ([id, r]) =>
        r.Type === 'AWS::Lambda::Function' &&
        [
          synth.stack.ingest.function,
          synth.stack.sender.sendFunction,
          synth.stack.sender.workerFunction,
          synth.stack.unsubscribe.function,
        ].some((f) => logicalIdOf(f.function) === id),
    );

  it('run on Node.js 22 or newer, on ARM64, with their own log group', () => {
    expect(functions()).toHaveLength(4);
    for (const [, fn] of functions()) {
      const runtime = fn.Properties?.Runtime as string;
      expect(runtime).toMatch(/^nodejs\d+\.x$/);
      expect(Number(runtime.match(/\d+/)?.[0])).toBeGreaterThanOrEqual(22);
      expect(fn.Properties?.Architectures).toEqual(['arm64']);
      expect(fn.Properties?.Handler).toBe('index.handler');
      expect(fn.Properties?.LoggingConfig).toMatchObject({ LogGroup: { Ref: expect.any(String) } });
    }
  });

  it('get exactly the environment the handlers read', () => {
    const env = (f: { function: { node: { defaultChild?: unknown } } }) =>
      (props(logicalIdOf(f.function)).Environment as { Variables: Json }).Variables;
    const common = {
      BUCKET_NAME: { Ref: bucketId() },
      POWERTOOLS_SERVICE_NAME: expect.stringMatching(/^news-digest-/),
      POWERTOOLS_LOG_LEVEL: 'INFO',
    };
    const mail = {
      ...common,
      SENDER_ADDRESS: 'briefing@news.example.org',
      SENDER_NAME: 'News Digest',
      BRAND_NAME: 'News Digest',
      POSTAL_ADDRESS: '1 High Street, London N1 1AA',
      // No unsubscribeMailbox configured: the mailto goes to the sender.
      UNSUBSCRIBE_MAILBOX: 'briefing@news.example.org',
      SCHEDULE_TIME_ZONE: 'Europe/London',
      UNSUBSCRIBE_URL: {
        'Fn::GetAtt': [logicalIdOf(synth.stack.unsubscribe.url as never), 'FunctionUrl'],
      },
      UNSUBSCRIBE_SECRET_ARN: { Ref: logicalIdOf(synth.stack.unsubscribe.secret) },
      TEMPLATES_DIR: '/var/task/templates',
    };
    expect(env(synth.stack.ingest.function)).toEqual(expect.objectContaining(common));
    expect(env(synth.stack.sender.sendFunction)).toEqual(
      expect.objectContaining({
        ...mail,
        SEND_QUEUE_URL: { Ref: logicalIdOf(synth.stack.sender.sendQueue) },
      }),
    );
    expect(env(synth.stack.sender.workerFunction)).toEqual(expect.objectContaining(mail));
    expect(env(synth.stack.sender.workerFunction)).not.toHaveProperty('SEND_QUEUE_URL');
    expect(env(synth.stack.unsubscribe.function)).toEqual(
      expect.objectContaining({
        ...common,
        UNSUBSCRIBE_SECRET_ARN: { Ref: logicalIdOf(synth.stack.unsubscribe.secret) },
      }),
    );
    // The HMAC key itself is never in the template, only its ARN.
    expect(JSON.stringify(template.toJSON())).not.toMatch(/SecretString"\s*:\s*"/);
    // Brand keys left unset are not passed: the functions keep the template's defaults. The archive
    // defaults to the stack's own CloudFront distribution.
    for (const f of [synth.stack.sender.sendFunction, synth.stack.sender.workerFunction]) {
      expect(Object.keys(env(f))).not.toEqual(
        expect.arrayContaining([expect.stringMatching(/^(ACCENT_COLOR|LOGO_URL)$/)]),
      );
      expect(env(f).ARCHIVE_BASE_URL).toEqual({
        'Fn::Join': [
          '',
          ['https://', { 'Fn::GetAtt': [logicalIdOf(synth.stack.site.distribution), 'DomainName'] }],
        ],
      });
    }
  });

  it('pass the configured brand (accent colour, logo, archive) to send and send-worker only', () => {
    const branded = synthesise({
      accentColor: '#1A4D8F',
      logoUrl: 'https://news.example.org/logo.png',
      archiveBaseUrl: 'https://news.example.org/archive/',
    });
    const brand = {
      ACCENT_COLOR: '#1a4d8f',
      LOGO_URL: 'https://news.example.org/logo.png',
      ARCHIVE_BASE_URL: 'https://news.example.org/archive',
    };
    for (const f of [branded.stack.sender.sendFunction, branded.stack.sender.workerFunction]) {
      branded.template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: Match.absent(),
        Environment: { Variables: Match.objectLike({ ...brand, BRAND_NAME: 'News Digest' }) },
        Role: { 'Fn::GetAtt': [logicalIdOf(f.role, branded.stack), 'Arn'] },
      });
    }
    for (const f of [branded.stack.ingest.function, branded.stack.unsubscribe.function]) {
      const variables = (
        branded.template.toJSON().Resources[logicalIdOf(f.function, branded.stack)].Properties
          .Environment as {
          Variables: Json;
        }
      ).Variables;
      expect(variables).not.toHaveProperty('ACCENT_COLOR');
      expect(variables).not.toHaveProperty('LOGO_URL');
    }
    expect(branded.violations).toEqual([]);
  });

  it('expose the unsubscribe function through a Function URL without IAM auth (the HMAC token authorises)', () => {
    template.hasResourceProperties('AWS::Lambda::Url', {
      AuthType: 'NONE',
      TargetFunctionArn: { 'Fn::GetAtt': [logicalIdOf(synth.stack.unsubscribe.function.function), 'Arn'] },
    });
    // Two public URLs: this one and the reader endpoint (sign-up, confirm, preferences).
    template.resourceCountIs('AWS::Lambda::Url', 2);
    // The public may invoke it only through the URL, never with a direct Invoke call.
    const fn = { 'Fn::GetAtt': [logicalIdOf(synth.stack.unsubscribe.function.function), 'Arn'] };
    const reader = { 'Fn::GetAtt': [logicalIdOf(synth.stack.reader.function.function), 'Arn'] };
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: fn,
      Principal: '*',
      InvokedViaFunctionUrl: true,
    });
    const publicInvokes = Object.values(resources).filter(
      (r) => r.Type === 'AWS::Lambda::Permission' && r.Properties?.Principal === '*',
    );
    expect(publicInvokes.map((r) => r.Properties?.FunctionName)).toEqual([fn, fn, reader, reader]);
  });

  it('cap the public unsubscribe function with reserved concurrency, so a flood cannot starve ingest and send', () => {
    const id = logicalIdOf(synth.stack.unsubscribe.function.function);
    expect(resources[id]?.Properties?.ReservedConcurrentExecutions).toBe(2);
  });
});

describe('schedule', () => {
  it("invokes the send function every hour; the configured hour and zone are the readers' default", () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ SCHEDULE_HOUR: '7', SCHEDULE_TIME_ZONE: 'Europe/London' }),
      },
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 * * * ? *)',
      ScheduleExpressionTimezone: 'Europe/London',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: {
        Arn: { 'Fn::GetAtt': [logicalIdOf(synth.stack.sender.sendFunction.function), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 7200 },
        // A delivery the scheduler gives up on is parked in the alarmed failed-sends queue.
        DeadLetterConfig: {
          Arn: { 'Fn::GetAtt': [logicalIdOf(synth.stack.sender.failedSendQueue), 'Arn'] },
        },
      },
    });
  });

  it('re-runs a failed send twice within the hour (Lambda async retry), then parks it in an alarmed queue', () => {
    const sendFn = logicalIdOf(synth.stack.sender.sendFunction.function);
    const failed = logicalIdOf(synth.stack.sender.failedSendQueue);
    template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 1);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: sendFn },
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [failed, 'Arn'] } } },
    });
    // Lambda sends the failure record with the function's role.
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalIdOf(synth.stack.sender.sendFunction.role) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith(['sqs:SendMessage']),
            Resource: Match.arrayWith([{ 'Fn::GetAtt': [failed, 'Arn'] }]),
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [failed, 'QueueName'] } }],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
    });
  });

  it('follows the configuration', () => {
    const other = synthesise({ scheduleHour: 18, scheduleTimeZone: 'Asia/Kolkata' });
    other.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 * * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Kolkata',
    });
    other.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ SCHEDULE_HOUR: '18', SCHEDULE_TIME_ZONE: 'Asia/Kolkata' }),
      },
    });
  });
});

describe('send fan-out', () => {
  it('has a work queue with a DLQ, consumed by the send-worker with partial batch failure reporting', () => {
    const queue = props(logicalIdOf(synth.stack.sender.sendQueue));
    expect(queue.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [logicalIdOf(synth.stack.sender.deadLetterQueue), 'Arn'] },
      maxReceiveCount: 5,
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(synth.stack.sender.sendQueue), 'Arn'] },
      FunctionName: { Ref: logicalIdOf(synth.stack.sender.workerFunction.function) },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('only the send function may enqueue batches', () => {
    const sendQueue = logicalIdOf(synth.stack.sender.sendQueue);
    const senders = allStatements().filter(
      ({ statement }) =>
        asArray(statement.Action).includes('sqs:SendMessage') &&
        flatten(statement.Resource).includes(sendQueue),
    );
    expect(senders.flatMap((s) => s.roles)).toEqual([logicalIdOf(synth.stack.sender.sendFunction.role)]);
  });
});

describe('IAM: least privilege', () => {
  it('no policy anywhere in the stack grants an action containing "*"', () => {
    const statements = allStatements();
    expect(statements.length).toBeGreaterThan(10);
    const wildcards = statements.flatMap(({ policy, statement }) =>
      asArray(statement.Action)
        .filter((a) => a.includes('*'))
        .map((a) => `${policy}: ${a}`),
    );
    expect(wildcards).toEqual([]);
  });

  it('"*" as a resource appears only for ses:GetSendQuota, which has no resource-level permissions', () => {
    const starResources = allStatements().filter(({ statement }) =>
      asArray(statement.Resource).includes('*'),
    );
    expect(starResources.length).toBeGreaterThan(0);
    for (const { statement } of starResources) expect(statement.Action).toBe('ses:GetSendQuota');
  });

  /** Object paths under the bucket: `prefix/*` where keys are data, exact keys in state/ and subscribers/. */
  const SUBSCRIBER_LISTS = ['subscribers/initial.json', 'subscribers/list.json'];
  const EXPECTED: Record<string, { read: string[]; write: string[]; delete: string[] }> = {
    // Ingest writes no digest: it leaves a request for the digest builder, which alone writes them.
    ingest: {
      read: ['incoming/*', 'item-values/*'],
      write: ['digest-requests/*', 'item-values/*', 'quarantine/*'],
      delete: [],
    },
    'digest-builder': { read: ['digests/*', 'item-values/*'], write: ['digests/*'], delete: [] },
    // The ledger never reads an entry, so sent/ is write- and delete-only.
    // control/sending-paused.json: the reputation guard's switch, read (never written) before sending.
    send: {
      read: ['control/sending-paused.json', 'digests/*', ...SUBSCRIBER_LISTS],
      write: ['sent/*'],
      delete: ['sent/*'],
    },
    'send-worker': {
      read: ['control/sending-paused.json', 'digests/*', ...SUBSCRIBER_LISTS],
      write: ['sent/*'],
      delete: ['sent/*'],
    },
    unsubscribe: { read: SUBSCRIBER_LISTS, write: ['subscribers/list.json'], delete: [] },
  };

  function roleOf(name: string): string {
    const s = synth.stack;
    const fn = {
      ingest: s.ingest.function,
      'digest-builder': s.digestBuilder.function,
      send: s.sender.sendFunction,
      'send-worker': s.sender.workerFunction,
      unsubscribe: s.unsubscribe.function,
      reader: s.reader.function,
      feedback: s.feedback.feedbackFunction,
    }[name];
    if (fn === undefined) throw new Error(name);
    return logicalIdOf(fn.role);
  }

  it.each(Object.keys(EXPECTED))(
    'the %s function touches only its own objects, with exact S3 actions',
    (name) => {
      const s3 = statementsOfRole(roleOf(name)).filter((st) =>
        asArray(st.Action).some((a) => a.startsWith('s3:')),
      );
      const prefixesFor = (action: string) =>
        s3
          .filter((st) => asArray(st.Action).includes(action))
          .flatMap((st) => asArray(st.Resource).map(flatten))
          .map((arn) => {
            const m = arn.match(new RegExp(`^<${bucketId()}\\.Arn>/([a-z-]+/(?:\\*|[a-z-]+\\.[a-z]+))$`));
            if (!m) throw new Error(`${name}: ${action} on a resource outside the bucket's objects: ${arn}`);
            return m[1];
          })
          .sort();
      expect(prefixesFor('s3:GetObject')).toEqual(EXPECTED[name]?.read);
      expect(prefixesFor('s3:PutObject')).toEqual(EXPECTED[name]?.write);
      expect(prefixesFor('s3:DeleteObject')).toEqual(EXPECTED[name]?.delete);
      const actions = new Set(s3.flatMap((st) => asArray(st.Action)));
      const deletes = EXPECTED[name]?.delete.length ? ['s3:DeleteObject'] : [];
      expect([...actions].sort()).toEqual([...deletes, 's3:GetObject', 's3:ListBucket', 's3:PutObject']);
      // ListBucket is on the bucket itself (key names, for 404-on-missing), never on objects.
      for (const st of s3.filter((x) => asArray(x.Action).includes('s3:ListBucket'))) {
        expect(flatten(st.Resource)).toBe(`<${bucketId()}.Arn>`);
      }
    },
  );

  const objectArn = (path: string) => ({
    'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId(), 'Arn'] }, `/${path}`]],
  });

  it('the public unsubscribe function may write subscribers/list.json and nothing else', () => {
    const role = roleOf('unsubscribe');
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: role }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 's3:GetObject',
            Resource: [objectArn('subscribers/initial.json'), objectArn('subscribers/list.json')],
          }),
          // A single resource, not a list: list.json only.
          Match.objectLike({
            Effect: 'Allow',
            Action: 's3:PutObject',
            Resource: objectArn('subscribers/list.json'),
          }),
        ]),
      },
    });
    for (const forbidden of ['subscribers/initial.json', 'subscribers/*']) {
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: role }],
        PolicyDocument: {
          Statement: Match.not(
            Match.arrayWith([Match.objectLike({ Action: 's3:PutObject', Resource: objectArn(forbidden) })]),
          ),
        },
      });
    }
    const writes = statementsOfRole(role).filter((st) => asArray(st.Action).includes('s3:PutObject'));
    expect(writes.flatMap((st) => asArray(st.Resource).map(flatten))).toEqual([
      `<${bucketId()}.Arn>/subscribers/list.json`,
    ]);
  });

  it('the ingest function has no right on state/: its state and article records are items in the table', () => {
    for (const key of ['state/newsroom.json', 'state/articles.jsonl']) {
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: roleOf('ingest') }],
        PolicyDocument: {
          Statement: Match.not(
            Match.arrayWith([Match.objectLike({ Resource: Match.arrayWith([objectArn(key)]) })]),
          ),
        },
      });
    }
    const resources = statementsOfRole(roleOf('ingest')).flatMap((st) => asArray(st.Resource).map(flatten));
    expect(resources.filter((arn) => arn.includes('/state/'))).toEqual([]);
  });

  it('only the ingest function may write the item table (batch reads, conditional puts and deletes, counters, queries); the digest builder may only read it', () => {
    const table = logicalIdOf(synth.stack.items.table);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: roleOf('ingest') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Action: [
              'dynamodb:BatchGetItem',
              'dynamodb:DeleteItem',
              'dynamodb:PutItem',
              'dynamodb:Query',
              'dynamodb:UpdateItem',
            ],
            Resource: { 'Fn::GetAtt': [table, 'Arn'] },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: roleOf('digest-builder') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Action: ['dynamodb:BatchGetItem', 'dynamodb:Query'],
            Resource: { 'Fn::GetAtt': [table, 'Arn'] },
          }),
        ]),
      },
    });
    const dynamo = allStatements().filter(({ statement }) =>
      asArray(statement.Action).some((a) => a.startsWith('dynamodb:')),
    );
    expect(dynamo.map(({ roles }) => roles).sort()).toEqual(
      [[roleOf('ingest')], [roleOf('digest-builder')]].sort(),
    );
  });

  it('nothing may write subscribers/initial.json (older stacks wrote it; it is read, never written)', () => {
    const writers = allStatements().filter(
      ({ statement }) =>
        asArray(statement.Action).includes('s3:PutObject') &&
        asArray(statement.Resource)
          .map(flatten)
          .some((arn) => arn.endsWith('/subscribers/initial.json') || arn.endsWith('/subscribers/*')),
    );
    expect(writers.map(({ policy }) => policy)).toEqual([]);
  });

  it('send and send-worker may send only raw email, only from the domain identity through the configuration set', () => {
    const identity = logicalIdOf(synth.stack.sender.identity);
    const configurationSet = logicalIdOf(synth.stack.sender.domain.configurationSet);
    for (const name of ['send', 'send-worker']) {
      const ses = statementsOfRole(roleOf(name)).filter((st) =>
        asArray(st.Action).some((a) => a.startsWith('ses:')),
      );
      const byAction = Object.fromEntries(
        ses.map((st) => [asArray(st.Action).join(','), asArray(st.Resource).map(flatten).sort()]),
      );
      expect(byAction).toEqual({
        'ses:SendRawEmail': [
          `arn:aws:ses:eu-west-2:123456789012:configuration-set/<${configurationSet}>`,
          `arn:aws:ses:eu-west-2:123456789012:identity/<${identity}>`,
        ],
        'ses:GetSendQuota': ['*'],
      });
    }
    for (const name of ['ingest', 'unsubscribe']) {
      const ses = statementsOfRole(roleOf(name)).filter((st) =>
        asArray(st.Action).some((a) => a.startsWith('ses:')),
      );
      expect(ses).toEqual([]);
    }
    // Outside the sandbox the address is no identity of its own: the domain is.
    template.resourceCountIs('AWS::SES::EmailIdentity', 1);
    template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'news.example.org' });
  });

  it('in the SES sandbox, may also send to exactly the verified initial subscribers (identities created)', () => {
    const sandbox = synthesise({ sesSandbox: true });
    const json = sandbox.template.toJSON() as { Resources: Resources };
    const identities = Object.entries(json.Resources)
      .filter(([, r]) => r.Type === 'AWS::SES::EmailIdentity')
      .map(([id, r]) => [id, r.Properties?.EmailIdentity]);
    expect(identities.map(([, address]) => address).sort()).toEqual([
      'ana@example.org',
      'bo@example.org',
      'briefing@news.example.org',
      'news.example.org',
    ]);
    const configurationSet = logicalIdOf(sandbox.stack.sender.domain.configurationSet, sandbox.stack);
    const role = logicalIdOf(sandbox.stack.sender.sendFunction.role, sandbox.stack);
    const policies = Object.values(json.Resources).filter(
      (r) =>
        r.Type === 'AWS::IAM::Policy' &&
        JSON.stringify(r.Properties?.Roles) === JSON.stringify([{ Ref: role }]),
    );
    const statements = policies.flatMap(
      (p) => (p.Properties?.PolicyDocument as { Statement: Statement[] } | undefined)?.Statement ?? [],
    );
    const sendRaw = statements.filter((st) => st.Action === 'ses:SendRawEmail');
    expect(sendRaw).toHaveLength(1);
    expect(asArray(sendRaw[0]?.Resource).map(flatten).sort()).toEqual(
      [
        `arn:aws:ses:eu-west-2:123456789012:configuration-set/<${configurationSet}>`,
        ...identities.map(([id]) => `arn:aws:ses:eu-west-2:123456789012:identity/<${id}>`),
      ].sort(),
    );
    // The one finding is the synth warning the issue asks for: bulk mail needs the domain, not the address.
    expect(sandbox.violations).toEqual([
      expect.objectContaining({
        severity: 'warning',
        description: expect.stringContaining('Bulk mail needs the domain'),
      }),
    ]);
  });

  it('the HMAC secret is readable by send, send-worker, unsubscribe, the reader endpoint and feedback only', () => {
    const secret = logicalIdOf(synth.stack.unsubscribe.secret);
    const readers = allStatements()
      .filter(({ statement }) => flatten(statement.Resource).includes(secret))
      .flatMap(({ roles, statement }) => roles.map((r) => `${r}:${asArray(statement.Action).join(',')}`));
    expect(readers.sort()).toEqual(
      ['send', 'send-worker', 'unsubscribe', 'reader', 'feedback']
        .map((n) => `${roleOf(n)}:secretsmanager:DescribeSecret,secretsmanager:GetSecretValue`)
        .sort(),
    );
  });
});

describe('operator policies', () => {
  function statementsOf(construct: { node: { defaultChild?: unknown } }): [unknown, string | string[]][] {
    const doc = props(logicalIdOf(construct)).PolicyDocument as { Statement: Statement[] };
    return doc.Statement.map((st) => [
      st.Action,
      Array.isArray(st.Resource) ? st.Resource.map(flatten) : flatten(st.Resource),
    ]);
  }

  it('contributors may only put objects under incoming/', () => {
    expect(statementsOf(synth.stack.policies.contributor)).toEqual([
      ['s3:PutObject', `<${bucketId()}.Arn>/incoming/*`],
    ]);
  });

  it('subscriber managers may read both subscriber lists and write list.json only (and list key names)', () => {
    expect(statementsOf(synth.stack.policies.subscriberManager)).toEqual([
      [
        's3:GetObject',
        [`<${bucketId()}.Arn>/subscribers/initial.json`, `<${bucketId()}.Arn>/subscribers/list.json`],
      ],
      ['s3:PutObject', `<${bucketId()}.Arn>/subscribers/list.json`],
      ['s3:ListBucket', `<${bucketId()}.Arn>`],
    ]);
  });
});

describe('initial subscribers', () => {
  it('put no address in the template and run no custom resource that would log one', () => {
    // The configured list (ana@, bo@) is added by the operator after deploy, not by the stack.
    template.resourceCountIs('Custom::AWS', 0);
    const text = JSON.stringify(template.toJSON());
    for (const address of ['ana@example.org', 'bo@example.org']) expect(text).not.toContain(address);
  });
});

describe('alarms and outputs', () => {
  it('alarm on any message in each dead-letter queue', () => {
    for (const dlq of [
      synth.stack.ingest.deadLetterQueue,
      synth.stack.digestBuilder.deadLetterQueue,
      synth.stack.sender.deadLetterQueue,
    ]) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Namespace: 'AWS/SQS',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalIdOf(dlq), 'QueueName'] } }],
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
      });
    }
  });

  it('alarm on errors of each function', () => {
    for (const f of [
      synth.stack.ingest.function,
      synth.stack.digestBuilder.function,
      synth.stack.sender.sendFunction,
      synth.stack.sender.workerFunction,
      synth.stack.unsubscribe.function,
      synth.stack.site.publisher,
      synth.stack.reader.function,
    ]) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'Errors',
        Namespace: 'AWS/Lambda',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalIdOf(f.function) } }],
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
      });
    }
    // Nine function-error alarms, four DLQ alarms, the failed-send-invocation alarm, the ingest and
    // digest-builder age alarms and the reputation guard's bounce-rate and complaint-rate alarms.
    template.resourceCountIs('AWS::CloudWatch::Alarm', 18);
  });

  it('alarm when the oldest ingest message or digest request has waited over 30 minutes (stuck, nothing failing)', () => {
    for (const queue of [synth.stack.ingest.queue, synth.stack.digestBuilder.queue]) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateAgeOfOldestMessage',
        Namespace: 'AWS/SQS',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalIdOf(queue), 'QueueName'] } }],
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 30 * 60,
      });
    }
  });

  it('notify a topic the stack creates (SSL only), named in an output, unless one is configured', () => {
    const alarms = Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
    const topicId = logicalIdOf(
      synth.stack.alarmTopic.topic as unknown as { node: { defaultChild?: unknown } },
    );
    // The alarm topic, and the topic SES publishes its events to (tested in ses-feedback.test.ts).
    template.resourceCountIs('AWS::SNS::Topic', 2);
    expect(alarms).toHaveLength(18);
    // Every alarm notifies the topic; the two reputation alarms also invoke the guard that pauses sending.
    for (const alarm of alarms) expect(alarm.Properties?.AlarmActions).toContainEqual({ Ref: topicId });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      }),
    });
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.AlarmTopicArn?.Value).toEqual({ Ref: topicId });

    const arn = 'arn:aws:sns:eu-west-2:123456789012:ops-alarms';
    const withTopic = synthesise({ alarmTopicArn: arn });
    withTopic.template.resourceCountIs('AWS::SNS::Topic', 1); // only the SES events topic
    const configured = Object.values(withTopic.template.toJSON().Resources as Resources).filter(
      (r) => r.Type === 'AWS::CloudWatch::Alarm',
    );
    expect(configured).toHaveLength(18);
    for (const alarm of configured) expect(alarm.Properties?.AlarmActions).toContainEqual(arn);
  });

  it('output the bucket name, an upload command and the unsubscribe URL', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.BucketName?.Value).toEqual({ Ref: bucketId() });
    expect(flatten(outputs.UploadCommand?.Value)).toBe(
      `aws s3 cp article.txt s3://<${bucketId()}>/incoming/`,
    );
    expect(flatten(outputs.UnsubscribeUrl?.Value)).toMatch(/^<UnsubscribeEndpoint.*\.FunctionUrl>$/);
    expect(outputs.ContributorPolicyArn?.Value).toEqual({
      Ref: logicalIdOf(synth.stack.policies.contributor),
    });
    expect(outputs.SubscriberManagerPolicyArn?.Value).toEqual({
      Ref: logicalIdOf(synth.stack.policies.subscriberManager),
    });
  });
});

describe('the stack is a composition', () => {
  it('is an instance of DigestStack built from the named constructs', () => {
    expect(synth.stack).toBeInstanceOf(DigestStack);
    const children = synth.stack.node.children.map((c) => c.node.id);
    expect(children).toEqual(
      expect.arrayContaining([
        'Articles',
        'IngestPipeline',
        'UnsubscribeEndpoint',
        'BriefingSender',
        'AlarmTopic',
        'Alarms',
      ]),
    );
  });
});
