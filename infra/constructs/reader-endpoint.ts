/**
 * The reader's public endpoint (a Function URL): sign-up with double opt-in, confirm and preferences.
 * Its only authorisation is the signed link; reserved concurrency caps it, so a flood of sign-ups can
 * neither starve ingest and send of the account's concurrency nor send more than a trickle of mail.
 */
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ENV_NAMES } from '../../functions/contracts.ts';
import type { ArticleBucket } from './article-bucket.ts';
import type { BriefingSender } from './briefing-sender.ts';
import { DigestFunction } from './digest-function.ts';
import type { UnsubscribeEndpoint } from './unsubscribe-endpoint.ts';

/** Instances at once: a person signs up in seconds, so five serve a busy launch and cap a flood. */
export const READER_CONCURRENCY = 5;

export interface ReaderEndpointProps {
  readonly articles: ArticleBucket;
  readonly entry: string;
  readonly sender: BriefingSender;
  readonly unsubscribe: UnsubscribeEndpoint;
  readonly removalPolicy: RemovalPolicy;
  /** The operator's delivery hour, shown to readers who chose none. */
  readonly scheduleHour: number;
}

export class ReaderEndpoint extends Construct {
  readonly function: DigestFunction;
  readonly url: lambda.FunctionUrl;
  /** Where the archive's sign-up form posts. */
  readonly signupUrl: string;
  /** The preference page every email links (with a signed token per reader). */
  readonly preferencesUrl: string;

  constructor(scope: Construct, id: string, props: ReaderEndpointProps) {
    super(scope, id);
    this.function = new DigestFunction(this, 'Reader', {
      entry: props.entry,
      name: 'reader',
      description: 'Reader pages: double opt-in sign-up, confirmation and preferences (signed links)',
      memorySize: 256,
      timeout: Duration.seconds(10),
      reservedConcurrency: READER_CONCURRENCY,
      removalPolicy: props.removalPolicy,
      environment: { ...props.sender.mailEnvironment, [ENV_NAMES.scheduleHour]: String(props.scheduleHour) },
    });
    // It reads the whole list to answer, and writes only list.json: never the stack's initial subscribers.
    props.articles.grantObjects(this.function.function, this.function, {
      read: ['subscriberList', 'initialSubscribers'],
      write: ['subscriberList'],
    });
    props.unsubscribe.grantKeyRead(this.function.function);
    props.sender.grantSendOne(this.function);
    this.url = this.function.function.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    this.signupUrl = `${this.url.url}signup`;
    this.preferencesUrl = `${this.url.url}preferences`;
  }
}
