/**
 * The briefing: EventBridge Scheduler (hourly) → send function, which sends each reader whose local hour has come
 * (readers choose their zone and hour; the operator's are the default) their edition, and sends
 * small lists itself and fans large ones out as subscriber batches on a queue → send-worker function.
 * SES rights are exactly ses:SendRawEmail on the sender identity (plus ses:GetSendQuota, which has no resource).
 *
 * Two retry layers, each for its own failure: the schedule's RetryPolicy re-delivers an invocation that Lambda
 * did not accept, and the send function's async invoke config re-runs an invocation that failed inside the
 * function (the send ledger skips everyone already sent). An invocation still failing then lands in a queue
 * that an alarm watches.
 */
import {
  Annotations,
  type CfnElement,
  Duration,
  type RemovalPolicy,
  Stack,
  TimeZone,
  Validations,
} from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as ses from 'aws-cdk-lib/aws-ses';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV_NAMES } from '../../functions/contracts.ts';
import type { ArticleBucket } from './article-bucket.ts';
import { DigestFunction } from './digest-function.ts';
import { deadLetterQueue, QueueWithDlq } from './queue-with-dlq.ts';
import { SendingDomain } from './sending-domain.ts';
import type { UnsubscribeEndpoint } from './unsubscribe-endpoint.ts';

/** Rendering once and sending (or enqueueing batches) for the whole list; far inside Lambda's 15 minutes. */
export const SEND_TIMEOUT = Duration.minutes(5);
/** mjml is the heaviest dependency; 1 GB keeps its cold render short. */
export const SEND_MEMORY_MB = 1024;
/** One worker invocation sends a few batches of subscribers at the SES rate. */
export const SEND_WORKER_TIMEOUT = Duration.minutes(5);
/** Messages (subscriber batches) per worker invocation. */
export const SEND_WORKER_BATCH_SIZE = 2;
/**
 * Workers running at once. Each worker sends at (account SES MaxSendRate / this), read from SEND_WORKER_CONCURRENCY,
 * so together they stay inside the account's rate. 2 is the smallest maximum concurrency SQS event sources accept.
 */
export const SEND_WORKER_MAX_CONCURRENCY = 2;
/** A batch failing this often is parked in the DLQ (the ledger makes a replay safe). */
export const SEND_MAX_RECEIVE_COUNT = 5;
/**
 * EventBridge Scheduler retries DELIVERING the invocation this many times (Lambda throttling it or being
 * unavailable)... It invokes the function asynchronously, so it never sees an error raised inside the
 * function: SEND_ASYNC_RETRY_ATTEMPTS covers those.
 */
export const SCHEDULE_RETRY_ATTEMPTS = 3;
/** ...but not past this age: a morning briefing delivered in the evening is worse than none. */
export const SCHEDULE_MAX_EVENT_AGE = Duration.hours(2);
/**
 * Lambda re-runs a send invocation that failed (the handler throws when a recipient failed transiently) this
 * many times, the maximum Lambda allows; the send ledger skips everyone already sent, so a re-run only
 * reaches those still missing...
 */
export const SEND_ASYNC_RETRY_ATTEMPTS = 2;
/**
 * ...while the event is younger than this. Lambda waits about 1 and then 2 minutes between runs (plus up to
 * SEND_TIMEOUT each), so both retries fit; an hour keeps a late retry within the same morning.
 */
export const SEND_ASYNC_MAX_EVENT_AGE = Duration.hours(1);

export interface BriefingSenderProps {
  readonly articles: ArticleBucket;
  readonly unsubscribe: UnsubscribeEndpoint;
  readonly sendEntry: string;
  readonly workerEntry: string;
  readonly senderAddress: string;
  readonly senderName: string;
  readonly brandName: string;
  /** Operator brand (config accentColor, logoUrl, archiveBaseUrl); unset keeps the template's default. */
  readonly accentColor?: string;
  readonly logoUrl?: string;
  readonly archiveBaseUrl?: string;
  readonly postalAddress: string;
  /** The List-Unsubscribe mailto address (config unsubscribeMailbox). */
  readonly unsubscribeMailbox: string;
  readonly scheduleHour: number;
  readonly scheduleTimeZone: string;
  readonly removalPolicy: RemovalPolicy;
  /**
   * SES sandbox only: the verified recipients. Each becomes an SES email identity, and the send functions may
   * send to exactly these (in the sandbox SES authorises SendRawEmail against recipient identities too).
   */
  readonly sandboxRecipients?: readonly string[];
  /** The sending domain (DKIM, MAIL FROM, configuration set): config senderDomain, hostedZoneId. */
  readonly senderDomain: string;
  readonly mailFromDomain: string;
  readonly hostedZoneId?: string;
}

export class BriefingSender extends Construct {
  /** The domain identity every briefing is sent as (DKIM-signed, custom MAIL FROM). */
  readonly identity: ses.EmailIdentity;
  readonly domain: SendingDomain;
  /** The sender address as its own identity: only for a sandbox trial (sesSandbox). */
  readonly addressIdentity: ses.EmailIdentity | null;
  readonly sandboxRecipientIdentities: ses.EmailIdentity[];
  readonly sendFunction: DigestFunction;
  readonly workerFunction: DigestFunction;
  readonly sendQueue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  /** Send invocations that still failed after SEND_ASYNC_RETRY_ATTEMPTS retries (Lambda's on-failure record). */
  readonly failedSendQueue: sqs.Queue;
  readonly schedule: scheduler.Schedule;
  /** What a function needs to compose mail in the briefing's name (the reader endpoint shares it). */
  readonly mailEnvironment: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: BriefingSenderProps) {
    super(scope, id);

    this.domain = new SendingDomain(this, 'Domain', {
      senderDomain: props.senderDomain,
      mailFromDomain: props.mailFromDomain,
      ...(props.hostedZoneId === undefined ? {} : { hostedZoneId: props.hostedZoneId }),
      dmarcReportAddress: props.unsubscribeMailbox,
    });
    this.identity = this.domain.identity;
    // A sandbox trial can start before DNS is published: SES verifies the address by a link it emails.
    this.addressIdentity =
      props.sandboxRecipients === undefined
        ? null
        : new ses.EmailIdentity(this, 'SenderIdentity', {
            identity: ses.Identity.email(props.senderAddress),
          });
    if (this.addressIdentity !== null) {
      Annotations.of(this).addWarning(
        `sesSandbox: ${props.senderAddress} is also verified as an address for the trial. Bulk mail needs the domain ${props.senderDomain} verified with DKIM and MAIL FROM: publish the DkimRecord, MailFromMxRecord, MailFromSpfRecord and DmarcRecord outputs (or set hostedZoneId) before leaving the sandbox.`,
      );
    }
    this.sandboxRecipientIdentities = (props.sandboxRecipients ?? []).map(
      (address, i) =>
        new ses.EmailIdentity(this, `SandboxRecipient${i}`, { identity: ses.Identity.email(address) }),
    );

    const queues = new QueueWithDlq(this, 'SendQueue', {
      functionTimeout: SEND_WORKER_TIMEOUT,
      maxReceiveCount: SEND_MAX_RECEIVE_COUNT,
    });
    this.sendQueue = queues.queue;
    this.deadLetterQueue = queues.deadLetterQueue;

    const mailEnvironment = {
      [ENV_NAMES.bucketName]: props.articles.bucket.bucketName,
      [ENV_NAMES.senderAddress]: props.senderAddress,
      [ENV_NAMES.senderName]: props.senderName,
      [ENV_NAMES.brandName]: props.brandName,
      ...(props.accentColor === undefined ? {} : { [ENV_NAMES.accentColor]: props.accentColor }),
      ...(props.logoUrl === undefined ? {} : { [ENV_NAMES.logoUrl]: props.logoUrl }),
      ...(props.archiveBaseUrl === undefined ? {} : { [ENV_NAMES.archiveBaseUrl]: props.archiveBaseUrl }),
      [ENV_NAMES.postalAddress]: props.postalAddress,
      [ENV_NAMES.unsubscribeMailbox]: props.unsubscribeMailbox,
      [ENV_NAMES.scheduleTimeZone]: props.scheduleTimeZone,
      [ENV_NAMES.scheduleHour]: String(props.scheduleHour),
      [ENV_NAMES.unsubscribeUrl]: props.unsubscribe.url.url,
      [ENV_NAMES.sesConfigurationSet]: this.domain.configurationSet.configurationSetName,
      [ENV_NAMES.unsubscribeSecretArn]: props.unsubscribe.secret.secretArn,
    };
    this.mailEnvironment = mailEnvironment;

    this.sendFunction = new DigestFunction(this, 'Send', {
      entry: props.sendEntry,
      name: 'send',
      description: 'Renders the latest complete digest and sends it (or enqueues subscriber batches) via SES',
      memorySize: SEND_MEMORY_MB,
      timeout: SEND_TIMEOUT,
      removalPolicy: props.removalPolicy,
      withTemplates: true,
      environment: { ...mailEnvironment, [ENV_NAMES.sendQueueUrl]: this.sendQueue.queueUrl },
    });
    this.failedSendQueue = deadLetterQueue(this, 'FailedSends');
    Validations.of(this.failedSendQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself a dead-letter destination: Lambda (after its async retries) and the scheduler (after its delivery retries) put a failed send invocation here, and an alarm watches its depth. Nothing consumes it, so it has no DLQ of its own.',
    });
    this.sendFunction.function.configureAsyncInvoke({
      retryAttempts: SEND_ASYNC_RETRY_ATTEMPTS,
      maxEventAge: SEND_ASYNC_MAX_EVENT_AGE,
      onFailure: new SqsDestination(this.failedSendQueue),
    });
    this.workerFunction = new DigestFunction(this, 'SendWorker', {
      entry: props.workerEntry,
      name: 'send-worker',
      description: 'Sends one batch of subscribers the briefing via SES, at the account send rate',
      memorySize: SEND_MEMORY_MB,
      timeout: SEND_WORKER_TIMEOUT,
      removalPolicy: props.removalPolicy,
      withTemplates: true,
      environment: {
        ...mailEnvironment,
        [ENV_NAMES.sendWorkerConcurrency]: String(SEND_WORKER_MAX_CONCURRENCY),
      },
    });

    for (const fn of [this.sendFunction, this.workerFunction]) {
      // The send ledger only creates (If-None-Match), overwrites and deletes its entries; it never reads one,
      // so sent/ is not readable.
      props.articles.grantObjects(fn.function, fn, {
        // sendingPause: the reputation guard's switch, read before every send.
        read: ['digests', 'subscriberList', 'initialSubscribers', 'sendingPause'],
        write: ['sent'],
        // A ledger claim is released (deleted) when SES refuses the send for a transient reason, so the
        // retry may claim it again.
        delete: ['sent'],
      });
      props.unsubscribe.grantKeyRead(fn.function);
      this.grantSendRawEmail(fn);
    }
    this.sendQueue.grantSendMessages(this.sendFunction.function);

    this.workerFunction.function.addEventSource(
      new SqsEventSource(this.sendQueue, {
        batchSize: SEND_WORKER_BATCH_SIZE,
        maxConcurrency: SEND_WORKER_MAX_CONCURRENCY,
        reportBatchItemFailures: true,
      }),
    );

    // Hourly: each reader has their own zone and hour, and the send function picks whoever is due.
    this.schedule = new scheduler.Schedule(this, 'Daily', {
      description: `Hourly briefing run; readers without a choice get theirs at ${String(props.scheduleHour).padStart(2, '0')}:00 ${props.scheduleTimeZone}`,
      schedule: scheduler.ScheduleExpression.cron({
        minute: '0',
        hour: '*',
        timeZone: TimeZone.of(props.scheduleTimeZone),
      }),
      target: new targets.LambdaInvoke(this.sendFunction.function, {
        role: this.schedulerRole(),
        retryAttempts: SCHEDULE_RETRY_ATTEMPTS,
        maxEventAge: SCHEDULE_MAX_EVENT_AGE,
        // A delivery the scheduler gives up on lands beside the sends Lambda gave up on, so the
        // same alarm sees a briefing that never started as well as one that failed.
        deadLetterQueue: this.failedSendQueue,
      }),
    });
  }

  /** The role EventBridge Scheduler assumes to invoke the send function; only this account's schedules may. */
  private schedulerRole(): iam.Role {
    const role = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'news-digest: EventBridge Scheduler invokes the send function',
    });
    const fnId = Stack.of(this).resolve(
      (this.sendFunction.function.node.defaultChild as CfnElement).logicalId,
    );
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${fnId}.Arn>:*]`,
      reason:
        'CDK’s LambdaInvoke target grants lambda:InvokeFunction on the send function and its versions/aliases (ARN:*); it is that one function and that one action.',
    });
    return role;
  }

  /** ses:SendRawEmail from the sender identity only (plus the sandbox recipients): for one-off mail such as a sign-up confirmation. */
  grantSendOne(fn: DigestFunction): void {
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['ses:SendRawEmail'], resources: this.sendResources() }),
    );
  }

  /** What ses:SendRawEmail is authorised against: every sending identity and the configuration set each send names. */
  private sendResources(): string[] {
    const identities = [this.identity, this.addressIdentity, ...this.sandboxRecipientIdentities].filter(
      (identity): identity is ses.EmailIdentity => identity !== null,
    );
    return [
      ...identities.map((identity) => identity.emailIdentityArn),
      Stack.of(this).formatArn({
        service: 'ses',
        resource: 'configuration-set',
        resourceName: this.domain.configurationSet.configurationSetName,
      }),
    ];
  }

  /**
   * ses:SendRawEmail on the sending identities (the domain; the address and the recipients too in the
   * sandbox) and on the configuration set every send names; ses:GetSendQuota to pace sending (no
   * resource-level scoping).
   */
  private grantSendRawEmail(fn: DigestFunction): void {
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['ses:SendRawEmail'], resources: this.sendResources() }),
    );
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['ses:GetSendQuota'], resources: ['*'] }),
    );
    Validations.of(fn).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'ses:GetSendQuota supports no resource-level permissions (Resource must be "*"); it is read-only and is the only action granted on "*".',
    });
  }
}
