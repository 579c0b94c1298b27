/**
 * CDK entry point (cdk.json: "npx tsx infra/app.ts"). Reads and validates the configuration once, then
 * synthesises the stack with the cdk-nag AwsSolutions checks.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { configFromContext, type DigestConfig, parseConfig } from '../functions/core/deploy-config.ts';
import { ConfigError } from '../functions/core/errors.ts';
import { DigestStack } from './digest-stack.ts';
import { missingHandlerEntries } from './paths.ts';

/** Stack name; one deployment per account and region. */
export const STACK_NAME = 'NewsDigest';

/** Domains reserved for documentation (RFC 2606): SES can never verify them. */
const PLACEHOLDER_DOMAIN = /@(?:[^@]+\.)?example\.(?:com|org|net)$/i;

/** cdk.json ships placeholders so that a clean clone synthesises; say so before anyone deploys them. */
function placeholderNotices(config: DigestConfig): string[] {
  const notices: string[] = [];
  if (PLACEHOLDER_DOMAIN.test(config.senderAddress)) {
    notices.push(
      `senderAddress ${config.senderAddress} is a placeholder; deploy with -c newsDigest.senderAddress=briefing@yourdomain.com`,
    );
  }
  if (/^replace\b/i.test(config.postalAddress)) {
    notices.push(
      'postalAddress is a placeholder; deploy with -c newsDigest.postalAddress="<your postal address>"',
    );
  }
  return notices;
}

function main(): void {
  const app = new App();
  let config: DigestConfig;
  try {
    config = parseConfig(configFromContext(app.node.getAllContext()));
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`news-digest: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  for (const notice of placeholderNotices(config)) process.stderr.write(`news-digest: ${notice}\n`);
  const missing = missingHandlerEntries();
  if (missing.length > 0) {
    process.stderr.write(`news-digest: handler entry files are missing: ${missing.join(', ')}\n`);
    process.exit(1);
  }
  new DigestStack(app, STACK_NAME, {
    config,
    description:
      'news-digest: articles dropped in S3 become a daily, deduplicated, summarised email briefing',
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
}

main();
