/**
 * CDK creates some helper Lambdas itself (S3 notification wiring, AwsCustomResource, auto-delete) as
 * singletons at the stack's root. They run only during deployments. cdk-nag reports their AWS managed
 * basic-execution policy; this acknowledges it on the singleton only, with the reason.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Construct ids CDK gives its singleton providers (stable across aws-cdk-lib 2.x). */
export const CDK_PROVIDER_IDS = {
  bucketNotifications: 'BucketNotificationsHandler050a0587b7544547bf325f094a3db834',
  awsCustomResource: 'AWS679f53fac002430cb0da5b7982bd2287',
} as const;

const BASIC_EXECUTION_ROLE =
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';

/** Acknowledge the managed logging policy of a CDK singleton provider, if the stack has it. */
export function acknowledgeCdkProvider(scope: IConstruct, id: string, purpose: string): void {
  const provider = Stack.of(scope).node.tryFindChild(id);
  if (provider === undefined) return;
  Validations.of(provider).acknowledge({
    id: BASIC_EXECUTION_ROLE,
    reason: `CDK-managed provider (${purpose}) that runs only during deployments; the AWS managed basic execution role only lets it write its own logs, and CDK offers no hook to replace it.`,
  });
}
