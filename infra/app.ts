/**
 * CDK entry point (cdk.json: "npx tsx infra/app.ts"). Reads and validates the configuration once, then
 * synthesises the stack with the cdk-nag AwsSolutions checks.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConfigError } from '../functions/core/errors.ts';
import { configFromContext, parseConfig } from './config.ts';
import { DigestStack } from './digest-stack.ts';
import { missingHandlerEntries } from './paths.ts';

/** Stack name; one deployment per account and region. */
export const STACK_NAME = 'NewsDigest';

function main(): void {
  const app = new App();
  let config: ReturnType<typeof parseConfig>;
  try {
    config = parseConfig(configFromContext(app.node.getAllContext()));
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`news-digest: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const missing = missingHandlerEntries();
  if (missing.length > 0) {
    process.stderr.write(`news-digest: handler entry files are missing: ${missing.join(', ')}\n`);
    process.exit(1);
  }
  const stack = new DigestStack(app, STACK_NAME, {
    config,
    description:
      'news-digest: articles dropped in S3 become a daily, deduplicated, summarised email briefing',
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  void stack;
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
}

main();
