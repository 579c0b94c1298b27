/**
 * SES feedback and the reputation guard in the template: the configuration set's event destination (an
 * SNS topic, for bounce, complaint, reject, delivery and delivery-delay events), the queue and DLQ that
 * feed the feedback function, the bounce-rate (4%) and complaint-rate (0.08%) alarms that notify the
 * alarm topic and invoke the guard, the alarmEmail subscription, and no IAM wildcard action anywhere.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ENV_NAMES } from '../../functions/contracts.ts';
import { synthesise } from './synth.ts';

const synth = synthesise({ alarmEmail: 'ops@example.org' });
const { template } = synth;
const resources = template.toJSON().Resources as Record<
  string,
  { Type: string; Properties?: Record<string, unknown> }
>;
const idOf = (c: { node: { defaultChild?: unknown } }) =>
  synth.stack.getLogicalId((c.node.defaultChild ?? c) as never);

describe('SES feedback', () => {
  it('publishes the configuration set events to an SSL-only topic, delivered raw to a queue with a DLQ', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: ['bounce', 'complaint', 'reject', 'delivery', 'deliveryDelay'],
        SnsDestination: { TopicARN: { Ref: idOf(synth.stack.feedback.eventsTopic) } },
      },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      RawMessageDelivery: true,
      TopicArn: { Ref: idOf(synth.stack.feedback.eventsTopic) },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [idOf(synth.stack.feedback.deadLetterQueue), 'Arn'] },
        maxReceiveCount: 3,
      },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: idOf(synth.stack.feedback.feedbackFunction.function) },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('alarms at 4% bounces and 0.08% complaints on the configuration set, notifying the topic and the guard', () => {
    const guard = idOf(synth.stack.feedback.guardFunction.function);
    const topic = idOf(synth.stack.alarmTopic.topic as never);
    for (const [metric, threshold] of [
      ['Reputation.BounceRate', 0.04],
      ['Reputation.ComplaintRate', 0.0008],
    ] as const) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SES',
        MetricName: metric,
        Threshold: threshold,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Dimensions: [
          { Name: 'ses:configuration-set', Value: { Ref: idOf(synth.stack.sender.domain.configurationSet) } },
        ],
        AlarmActions: Match.arrayWith([{ Ref: topic }, { 'Fn::GetAtt': [guard, 'Arn'] }]),
      });
    }
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.org',
    });
  });

  it('lets the feedback function change only the subscriber list, and the guard write only the pause switch', () => {
    const policies = Object.values(resources).filter((r) => r.Type === 'AWS::IAM::Policy');
    const s3Of = (role: string) =>
      policies
        .filter((p) => JSON.stringify(p.Properties?.Roles) === JSON.stringify([{ Ref: role }]))
        .flatMap(
          (p) =>
            (
              p.Properties?.PolicyDocument as
                | { Statement: { Action: unknown; Resource: unknown }[] }
                | undefined
            )?.Statement ?? [],
        )
        .filter((st) => JSON.stringify(st.Action).includes('s3:'))
        .map((st) => JSON.stringify(st));
    const feedbackRole = idOf(synth.stack.feedback.feedbackFunction.role);
    const guardRole = idOf(synth.stack.feedback.guardFunction.role);
    const feedback = s3Of(feedbackRole).join('\n');
    expect(feedback).toContain('subscribers/list.json');
    expect(feedback).not.toMatch(/sent\/|digests\/|control\//);
    const guard = s3Of(guardRole).join('\n');
    expect(guard).toContain('control/sending-paused.json');
    expect(guard).not.toMatch(/subscribers\/|sent\/|digests\//);
  });

  it('gives the feedback function the secret that keys unsubscribe tombstones, so it sees who left', () => {
    const fn = resources[idOf(synth.stack.feedback.feedbackFunction.function)];
    expect(fn?.Type).toBe('AWS::Lambda::Function');
    expect(fn?.Properties).toMatchObject({
      Environment: {
        Variables: { [ENV_NAMES.unsubscribeSecretArn]: { Ref: idOf(synth.stack.unsubscribe.secret) } },
      },
    });
  });

  it('grants no wildcard action in any policy', () => {
    const actions = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy')
      .flatMap(
        (p) =>
          (p.Properties?.PolicyDocument as { Statement: { Action: unknown }[] } | undefined)?.Statement ?? [],
      )
      .flatMap((st) => (Array.isArray(st.Action) ? st.Action : [st.Action]) as string[]);
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
  });
});
