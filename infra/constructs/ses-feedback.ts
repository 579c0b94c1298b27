/**
 * What SES tells the stack after a send, and what the stack does about it.
 *
 * Feedback: the configuration set publishes BOUNCE, COMPLAINT, REJECT, DELIVERY and DELIVERY_DELAY events
 * to an SNS topic; a queue (raw message delivery, dead-letter queue after FEEDBACK_MAX_RECEIVE_COUNT tries)
 * feeds the feedback function, which updates the subscriber list (functions/handlers/feedback.ts).
 *
 * Reputation guard: alarms on the configuration set's bounce rate (≥ 4%) and complaint rate (≥ 0.08%),
 * below SES's own review thresholds (5% and 0.1%), notify the alarm topic and invoke the guard function,
 * which pauses sending until an operator resumes it (README runbook).
 */
import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV_NAMES } from '../../functions/contracts.ts';
import type { ArticleBucket } from './article-bucket.ts';
import { DigestFunction } from './digest-function.ts';
import { QueueWithDlq } from './queue-with-dlq.ts';
import type { UnsubscribeEndpoint } from './unsubscribe-endpoint.ts';

/** SES places an account under review at 5% bounces; the guard pauses earlier. */
export const BOUNCE_RATE_THRESHOLD = 0.04;
/** SES places an account under review at 0.1% complaints; the guard pauses earlier. */
export const COMPLAINT_RATE_THRESHOLD = 0.0008;
/** SES publishes reputation metrics about hourly; a 15-minute period catches the first rise. */
export const REPUTATION_PERIOD = Duration.minutes(15);
/** A malformed or failing event is tried this often, then parked in the dead-letter queue. */
export const FEEDBACK_MAX_RECEIVE_COUNT = 3;
/** One event is a few S3 reads and writes. */
export const FEEDBACK_TIMEOUT = Duration.seconds(30);

/** The events the configuration set publishes: what changes a subscriber, and what an operator may want to see. */
export const PUBLISHED_EVENTS = [
  ses.EmailSendingEvent.BOUNCE,
  ses.EmailSendingEvent.COMPLAINT,
  ses.EmailSendingEvent.REJECT,
  ses.EmailSendingEvent.DELIVERY,
  ses.EmailSendingEvent.DELIVERY_DELAY,
];

export interface SesFeedbackProps {
  readonly articles: ArticleBucket;
  readonly configurationSet: ses.ConfigurationSet;
  readonly feedbackEntry: string;
  readonly guardEntry: string;
  readonly alarmTopic: sns.ITopic;
  readonly removalPolicy: RemovalPolicy;
  /** The stack secret that keys unsubscribe tombstones, so feedback never brings back a reader who left. */
  readonly unsubscribe: UnsubscribeEndpoint;
}

export class SesFeedback extends Construct {
  readonly eventsTopic: sns.Topic;
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly feedbackFunction: DigestFunction;
  readonly guardFunction: DigestFunction;
  readonly bounceRateAlarm: cloudwatch.Alarm;
  readonly complaintRateAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: SesFeedbackProps) {
    super(scope, id);
    this.eventsTopic = new sns.Topic(this, 'Events', {
      displayName: 'news-digest SES events',
      enforceSSL: true,
    });
    Validations.of(this.eventsTopic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'The topic only relays SES events (which name recipients) to one queue, TLS-only; SNS keeps no copy, and the queue that holds them is encrypted at rest (SQS-managed SSE). A customer-managed key would need a key policy for SES and SNS and is not worth its cost for data held seconds in transit.',
    });
    props.configurationSet.addEventDestination('ToTopic', {
      destination: ses.EventDestination.snsTopic(this.eventsTopic),
      events: PUBLISHED_EVENTS,
    });

    const queues = new QueueWithDlq(this, 'Queue', {
      functionTimeout: FEEDBACK_TIMEOUT,
      maxReceiveCount: FEEDBACK_MAX_RECEIVE_COUNT,
    });
    this.queue = queues.queue;
    this.deadLetterQueue = queues.deadLetterQueue;
    this.eventsTopic.addSubscription(
      new subscriptions.SqsSubscription(this.queue, { rawMessageDelivery: true }),
    );

    const environment = { [ENV_NAMES.bucketName]: props.articles.bucket.bucketName };
    this.feedbackFunction = new DigestFunction(this, 'Feedback', {
      entry: props.feedbackEntry,
      name: 'feedback',
      description: 'Applies SES bounce, complaint and delivery events to the subscriber list',
      memorySize: 256,
      timeout: FEEDBACK_TIMEOUT,
      removalPolicy: props.removalPolicy,
      environment: { ...environment, [ENV_NAMES.unsubscribeSecretArn]: props.unsubscribe.secret.secretArn },
    });
    props.articles.grantObjects(this.feedbackFunction.function, this.feedbackFunction, {
      read: ['subscriberList', 'initialSubscribers'],
      write: ['subscriberList'],
    });
    props.unsubscribe.grantKeyRead(this.feedbackFunction.function);
    this.feedbackFunction.function.addEventSource(
      new SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true }),
    );

    this.guardFunction = new DigestFunction(this, 'Guard', {
      entry: props.guardEntry,
      name: 'reputation-guard',
      description: 'Pauses sending when the bounce or complaint rate alarm fires',
      memorySize: 128,
      timeout: Duration.seconds(10),
      removalPolicy: props.removalPolicy,
      environment,
    });
    props.articles.grantObjects(this.guardFunction.function, this.guardFunction, { write: ['sendingPause'] });

    const rateAlarm = (alarmId: string, metricName: string, threshold: number, what: string) => {
      const alarm = new cloudwatch.Alarm(this, alarmId, {
        alarmDescription: `${what} of the configuration set is at or above ${threshold * 100}%: sending is paused. README "The reputation guard paused sending" says how to look and how to resume.`,
        metric: new cloudwatch.Metric({
          namespace: 'AWS/SES',
          metricName,
          dimensionsMap: { 'ses:configuration-set': props.configurationSet.configurationSetName },
          period: REPUTATION_PERIOD,
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
        threshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(new actions.SnsAction(props.alarmTopic));
      alarm.addAlarmAction(new actions.LambdaAction(this.guardFunction.function));
      return alarm;
    };
    this.bounceRateAlarm = rateAlarm(
      'BounceRate',
      'Reputation.BounceRate',
      BOUNCE_RATE_THRESHOLD,
      'The bounce rate',
    );
    this.complaintRateAlarm = rateAlarm(
      'ComplaintRate',
      'Reputation.ComplaintRate',
      COMPLAINT_RATE_THRESHOLD,
      'The complaint rate',
    );
  }
}
