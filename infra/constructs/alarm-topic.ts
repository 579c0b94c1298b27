/**
 * The SNS topic every alarm of the stack notifies (issue 18.5: without one, alarms only showed in the
 * console and reached no one). The stack creates it unless `alarmTopicArn` names an existing topic,
 * which is then used as is. Other constructs that notify operators (the sender's, say) take
 * `AlarmTopic.topic` rather than making their own, so one subscription reaches every alarm.
 */
import { Validations } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface AlarmTopicProps {
  /** An existing topic to notify instead of creating one (newsDigest.alarmTopicArn). */
  readonly existingTopicArn?: string;
}

export class AlarmTopic extends Construct {
  readonly topic: sns.ITopic;
  /** Whether the stack created the topic (false: `existingTopicArn` was used). */
  readonly created: boolean;

  constructor(scope: Construct, id: string, props: AlarmTopicProps = {}) {
    super(scope, id);
    this.created = props.existingTopicArn === undefined;
    if (props.existingTopicArn !== undefined) {
      this.topic = sns.Topic.fromTopicArn(this, 'Topic', props.existingTopicArn);
      return;
    }
    const topic = new sns.Topic(this, 'Topic', {
      displayName: 'news-digest alarms',
      enforceSSL: true,
    });
    Validations.of(topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'Alarm notifications carry alarm names and states, no article or subscriber data; CloudWatch alarms cannot publish to a topic encrypted with the AWS-managed SNS key, and a customer-managed key costs more than the data is worth.',
    });
    this.topic = topic;
  }
}
