/**
 * CloudWatch alarms an operator acts on: any message in a dead-letter queue or in a failed-invocation queue,
 * a work queue whose oldest message has waited too long, and any function error. Each notifies the
 * stack's alarm topic (alarm-topic.ts).
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** SQS publishes queue metrics every minute; five-minute periods smooth the metric's reporting lag. */
export const ALARM_PERIOD = Duration.minutes(5);

export interface AlarmsProps {
  /** Dead-letter queues by a short name used in the alarm description. */
  readonly deadLetterQueues: Readonly<Record<string, sqs.IQueue>>;
  /**
   * On-failure destinations of asynchronously invoked functions, by a short name: a message there is an
   * invocation whose retries are exhausted.
   */
  readonly failedInvocations?: Readonly<Record<string, sqs.IQueue>>;
  /**
   * Work queues by a short name, with the age past which their oldest message means the consumer is
   * stuck or falling behind (nothing fails, so no other alarm fires).
   */
  readonly queueAges?: Readonly<Record<string, { readonly queue: sqs.IQueue; readonly maxAge: Duration }>>;
  /** Functions by a short name. */
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
  /** The topic every alarm notifies. */
  readonly topic: sns.ITopic;
}

export class Alarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    const topic = props.topic;

    const queueAlarm = (alarmId: string, queue: sqs.IQueue, description: string) =>
      this.add(
        new cloudwatch.Alarm(this, alarmId, {
          alarmDescription: description,
          metric: queue.metricApproximateNumberOfMessagesVisible({
            period: ALARM_PERIOD,
            statistic: cloudwatch.Stats.MAXIMUM,
          }),
          threshold: 0,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
        topic,
      );
    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      queueAlarm(
        `${name}DeadLetters`,
        queue,
        `${name}: messages in the dead-letter queue. Inspect them, fix the cause, then redrive (README "Operations").`,
      );
    }
    for (const [name, queue] of Object.entries(props.failedInvocations ?? {})) {
      queueAlarm(
        `${name}FailedInvocations`,
        queue,
        `${name}: an invocation still failed after Lambda's retries; each message holds the error and the original event. Fix the cause, then invoke the function again.`,
      );
    }
    for (const [name, { queue, maxAge }] of Object.entries(props.queueAges ?? {})) {
      this.add(
        new cloudwatch.Alarm(this, `${name}OldestMessage`, {
          alarmDescription: `${name}: a message has waited over ${maxAge.toHumanString()} to be processed, so the consumer is stuck, throttled or falling behind. See the function's logs and the queue (README "Operations").`,
          metric: queue.metricApproximateAgeOfOldestMessage({
            period: ALARM_PERIOD,
            statistic: cloudwatch.Stats.MAXIMUM,
          }),
          threshold: maxAge.toSeconds(),
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
        topic,
      );
    }
    for (const [name, fn] of Object.entries(props.functions)) {
      this.add(
        new cloudwatch.Alarm(this, `${name}Errors`, {
          alarmDescription: `${name}: the function failed (an uncaught error or a timeout). See its log group.`,
          metric: fn.metricErrors({ period: ALARM_PERIOD, statistic: cloudwatch.Stats.SUM }),
          threshold: 0,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
        topic,
      );
    }
  }

  private add(alarm: cloudwatch.Alarm, topic: sns.ITopic): void {
    alarm.addAlarmAction(new actions.SnsAction(topic));
    this.alarms.push(alarm);
  }
}
