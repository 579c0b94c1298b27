/**
 * One Lambda function of the service, built the same way for every handler: latest Node.js runtime on ARM,
 * bundled locally by esbuild (infra/bundling.ts: ES modules split into chunks), its own log group with retention, and its own role that starts EMPTY except
 * for writing to that log group (no AWS managed policy, no wildcard actions).
 */
import { existsSync } from 'node:fs';
import { AssetHashType, type Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ENV_NAMES } from '../../functions/contracts.ts';
import { LAMBDA_ARCHITECTURE, LAMBDA_RUNTIME, LocalFunctionBundler } from '../bundling.ts';
import { REPO_ROOT, TEMPLATES_DIR_IN_LAMBDA } from '../paths.ts';

/** Logs are for debugging recent runs; a month is enough and keeps the CloudWatch bill flat. */
export const LOG_RETENTION = logs.RetentionDays.ONE_MONTH;

/** Structured logs at INFO: one line per file or send, never message bodies or addresses (redacted). */
export const DEFAULT_LOG_LEVEL = 'INFO';

/** Prefix of POWERTOOLS_SERVICE_NAME, so that log queries can select one function or the whole service. */
export const SERVICE_NAME = 'news-digest';

export interface DigestFunctionProps {
  /** Absolute path of the handler's entry file; it exports `handler`. */
  readonly entry: string;
  /** Short name: ingest, send, send-worker, unsubscribe. Used in POWERTOOLS_SERVICE_NAME. */
  readonly name: string;
  readonly description: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly environment: Readonly<Record<string, string>>;
  readonly removalPolicy: RemovalPolicy;
  /** Reserved concurrency: a cap on instances (and a floor the account keeps for this function). */
  readonly reservedConcurrency?: number;
  /** Copy templates/ into the bundle (send and send-worker render MJML at run time). */
  readonly withTemplates?: boolean;
}

export class DigestFunction extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: DigestFunctionProps) {
    super(scope, id);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: LOG_RETENTION,
      removalPolicy: props.removalPolicy,
    });

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `news-digest ${props.name} function`,
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    const logGroupId = Stack.of(this).resolve(
      (this.logGroup.node.defaultChild as logs.CfnLogGroup).logicalId,
    );
    Validations.of(this).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logGroupId}.Arn>:*]`,
      reason:
        'Lambda names its log streams at run time; the grant is limited to this function’s own log group and to the two write actions.',
    });

    const withTemplates = props.withTemplates ?? false;
    if (!existsSync(props.entry)) {
      throw new Error(`${this.node.path}: handler entry file ${props.entry} does not exist.`);
    }
    this.function = new lambda.Function(this, 'Function', {
      // Not NodejsFunction: it bundles to a single file (no code splitting), which made every cold start
      // parse code that only some invocations run. The bundling itself is infra/bundling.ts, shared with
      // the cold-start benchmark.
      code: lambda.Code.fromAsset(REPO_ROOT, {
        // Hash the bundle, not the repository: only a change to the deployed code updates the function.
        assetHashType: AssetHashType.OUTPUT,
        bundling: {
          // Required by the API but never pulled: local bundling below always succeeds or throws.
          image: LAMBDA_RUNTIME.bundlingImage,
          local: new LocalFunctionBundler(props.entry, withTemplates),
        },
      }),
      handler: 'index.handler',
      runtime: LAMBDA_RUNTIME,
      architecture: LAMBDA_ARCHITECTURE,
      memorySize: props.memorySize,
      ...(props.reservedConcurrency === undefined
        ? {}
        : { reservedConcurrentExecutions: props.reservedConcurrency }),
      timeout: props.timeout,
      description: props.description,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: {
        POWERTOOLS_SERVICE_NAME: `${SERVICE_NAME}-${props.name}`,
        POWERTOOLS_LOG_LEVEL: DEFAULT_LOG_LEVEL,
        ...(withTemplates ? { [ENV_NAMES.templatesDir]: TEMPLATES_DIR_IN_LAMBDA } : {}),
        ...props.environment,
      },
    });
  }
}
