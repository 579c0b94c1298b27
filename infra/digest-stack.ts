/**
 * The news-digest service. Composition only: every resource is made by a construct in ./constructs.
 */
import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { BUCKET_PREFIXES, ENV_NAMES } from '../functions/contracts.ts';
import type { DigestConfig } from '../functions/core/deploy-config.ts';
import { AlarmTopic } from './constructs/alarm-topic.ts';
import { Alarms } from './constructs/alarms.ts';
import { ArchiveSite } from './constructs/archive-site.ts';
import { ArticleBucket } from './constructs/article-bucket.ts';
import { BriefingSender } from './constructs/briefing-sender.ts';
import { DIGEST_MAX_MESSAGE_AGE, DigestBuilder } from './constructs/digest-builder.ts';
import { INGEST_MAX_MESSAGE_AGE, IngestPipeline } from './constructs/ingest-pipeline.ts';
import { ItemTable } from './constructs/item-table.ts';
import { OperatorPolicies } from './constructs/operator-policies.ts';
import { ReaderEndpoint } from './constructs/reader-endpoint.ts';
import { SesFeedback } from './constructs/ses-feedback.ts';
import { UnsubscribeEndpoint } from './constructs/unsubscribe-endpoint.ts';
import { HANDLER_ENTRIES, type HandlerEntries } from './paths.ts';

export interface DigestStackProps extends StackProps {
  readonly config: DigestConfig;
  /** Handler entry files; tests may point them elsewhere. Defaults to functions/handlers/*.ts. */
  readonly handlerEntries?: HandlerEntries;
}

export class DigestStack extends Stack {
  readonly articles: ArticleBucket;
  readonly items: ItemTable;
  readonly ingest: IngestPipeline;
  /** Rebuilds the digests of the days ingest changed, many batches' requests at once. */
  readonly digestBuilder: DigestBuilder;
  readonly unsubscribe: UnsubscribeEndpoint;
  readonly sender: BriefingSender;
  readonly alarms: Alarms;
  /** SES events to the subscriber list, and the reputation guard (bounce and complaint rate alarms). */
  readonly feedback: SesFeedback;
  readonly alarmTopic: AlarmTopic;
  readonly site: ArchiveSite;
  readonly reader: ReaderEndpoint;
  readonly policies: OperatorPolicies;

  constructor(scope: Construct, id: string, props: DigestStackProps) {
    super(scope, id, props);
    const { config } = props;
    const entries = props.handlerEntries ?? HANDLER_ENTRIES;
    const destroy = config.removalPolicy === 'destroy';
    const removalPolicy = destroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;

    this.articles = new ArticleBucket(this, 'Articles', { removalPolicy, autoDeleteObjects: destroy });

    this.items = new ItemTable(this, 'Items', { removalPolicy });

    this.ingest = new IngestPipeline(this, 'IngestPipeline', {
      articles: this.articles,
      items: this.items,
      entry: entries.ingest,
      removalPolicy,
      activeDays: config.activeDays,
    });
    this.digestBuilder = new DigestBuilder(this, 'DigestBuilder', {
      articles: this.articles,
      items: this.items,
      entry: entries['digest-builder'],
      removalPolicy,
    });

    this.unsubscribe = new UnsubscribeEndpoint(this, 'UnsubscribeEndpoint', {
      articles: this.articles,
      entry: entries.unsubscribe,
      brandName: config.brandName,
      removalPolicy,
    });

    this.site = new ArchiveSite(this, 'ArchiveSite', {
      articles: this.articles,
      entry: entries.publish,
      removalPolicy,
      ...(config.archiveBaseUrl === undefined ? {} : { archiveBaseUrl: config.archiveBaseUrl }),
      environment: {
        [ENV_NAMES.brandName]: config.brandName,
        [ENV_NAMES.senderName]: config.senderName,
        [ENV_NAMES.postalAddress]: config.postalAddress,
        ...(config.accentColor === undefined ? {} : { [ENV_NAMES.accentColor]: config.accentColor }),
      },
    });

    this.sender = new BriefingSender(this, 'BriefingSender', {
      articles: this.articles,
      unsubscribe: this.unsubscribe,
      sendEntry: entries.send,
      workerEntry: entries['send-worker'],
      senderAddress: config.senderAddress,
      senderName: config.senderName,
      brandName: config.brandName,
      ...(config.accentColor === undefined ? {} : { accentColor: config.accentColor }),
      ...(config.logoUrl === undefined ? {} : { logoUrl: config.logoUrl }),
      // "Read on the web" and follow-up links point at the day pages of the archive.
      archiveBaseUrl: this.site.url,
      postalAddress: config.postalAddress,
      unsubscribeMailbox: config.unsubscribeMailbox,
      scheduleHour: config.scheduleHour,
      scheduleTimeZone: config.scheduleTimeZone,
      removalPolicy,
      ...(config.sesSandbox ? { sandboxRecipients: config.initialSubscribers } : {}),
      senderDomain: config.senderDomain,
      mailFromDomain: config.mailFromDomain,
      ...(config.hostedZoneId === undefined ? {} : { hostedZoneId: config.hostedZoneId }),
    });

    this.reader = new ReaderEndpoint(this, 'ReaderEndpoint', {
      articles: this.articles,
      entry: entries.reader,
      sender: this.sender,
      unsubscribe: this.unsubscribe,
      removalPolicy,
      scheduleHour: config.scheduleHour,
    });
    // Every email links the reader's preference page.
    for (const fn of [this.sender.sendFunction, this.sender.workerFunction]) {
      fn.function.addEnvironment(ENV_NAMES.preferencesUrl, this.reader.preferencesUrl);
    }
    // The archive's sign-up form posts to the reader endpoint.
    this.site.publisher.function.addEnvironment(ENV_NAMES.signupUrl, this.reader.signupUrl);

    // The initial subscribers are not written by the stack: a custom resource would log its whole event
    // (addresses included) to CloudWatch and keep the list in the template. The operator adds them after
    // the first deploy with `npm run subscribers -- add`; the config key only names sandbox identities.

    this.alarmTopic = new AlarmTopic(this, 'AlarmTopic', {
      ...(config.alarmTopicArn === undefined ? {} : { existingTopicArn: config.alarmTopicArn }),
    });
    if (config.alarmEmail !== undefined) {
      this.alarmTopic.topic.addSubscription(new subscriptions.EmailSubscription(config.alarmEmail));
    }
    this.feedback = new SesFeedback(this, 'SesFeedback', {
      articles: this.articles,
      configurationSet: this.sender.domain.configurationSet,
      feedbackEntry: entries.feedback,
      guardEntry: entries['reputation-guard'],
      alarmTopic: this.alarmTopic.topic,
      removalPolicy,
      unsubscribe: this.unsubscribe,
    });
    this.alarms = new Alarms(this, 'Alarms', {
      deadLetterQueues: {
        Ingest: this.ingest.deadLetterQueue,
        DigestBuilder: this.digestBuilder.deadLetterQueue,
        Send: this.sender.deadLetterQueue,
        Feedback: this.feedback.deadLetterQueue,
      },
      failedInvocations: { Send: this.sender.failedSendQueue },
      functions: {
        Ingest: this.ingest.function.function,
        DigestBuilder: this.digestBuilder.function.function,
        Send: this.sender.sendFunction.function,
        SendWorker: this.sender.workerFunction.function,
        Unsubscribe: this.unsubscribe.function.function,
        Publish: this.site.publisher.function,
        Reader: this.reader.function.function,
        Feedback: this.feedback.feedbackFunction.function,
        ReputationGuard: this.feedback.guardFunction.function,
      },
      queueAges: {
        Ingest: { queue: this.ingest.queue, maxAge: INGEST_MAX_MESSAGE_AGE },
        DigestBuilder: { queue: this.digestBuilder.queue, maxAge: DIGEST_MAX_MESSAGE_AGE },
      },
      topic: this.alarmTopic.topic,
    });

    this.policies = new OperatorPolicies(this, 'OperatorPolicies', { articles: this.articles });

    const bucketName = this.articles.bucket.bucketName;
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarmTopic.topic.topicArn,
      description: 'SNS topic every alarm notifies: subscribe an address or a chat integration to it',
    });
    new CfnOutput(this, 'BucketName', {
      value: bucketName,
      description: 'Bucket that holds articles, digests and subscribers',
    });
    new CfnOutput(this, 'UploadCommand', {
      value: `aws s3 cp article.txt s3://${bucketName}/${BUCKET_PREFIXES.incoming}`,
      description: 'Drop an article in (any .txt, .md, .html or .json file)',
    });
    new CfnOutput(this, 'UnsubscribeUrl', {
      value: this.unsubscribe.url.url,
      description: 'One-click unsubscribe endpoint (links carry an HMAC token)',
    });
    new CfnOutput(this, 'SiteUrl', {
      value: this.site.url,
      description: 'The public archive: latest briefing, past days, feed.xml, feed.json and the sign-up form',
    });
    new CfnOutput(this, 'SignupUrl', {
      value: this.reader.signupUrl,
      description:
        'Where the archive’s sign-up form posts (double opt-in; confirmation and preference pages beside it)',
    });
    new CfnOutput(this, 'ContributorPolicyArn', {
      value: this.policies.contributor.managedPolicyArn,
      description: 'Attach to whoever drops articles in: s3:PutObject on incoming/ only',
    });
    new CfnOutput(this, 'SubscriberManagerPolicyArn', {
      value: this.policies.subscriberManager.managedPolicyArn,
      description:
        'Attach to whoever runs `npm run subscribers`: reads subscribers/list.json and initial.json, writes list.json only',
    });
    new CfnOutput(this, 'SenderIdentity', {
      value: config.senderDomain,
      description:
        'SES domain identity: publish the DkimRecord, MailFromMxRecord, MailFromSpfRecord and DmarcRecord outputs (or set hostedZoneId) before the first send',
    });
  }
}
