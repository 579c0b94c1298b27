/** SES adapter for the Mailer port: SendRawEmail with the complete MIME message built by core/render. */
import { GetSendQuotaCommand, type SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { TransientError } from '../core/errors.ts';
import type { Mailer, OutgoingMail } from '../ports.ts';
import { sesClient } from './clients.ts';
import { isTransient } from './s3-errors.ts';

/** SES error names that mean "slow down", as opposed to a refusal of this message. */
const SES_THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'MaxSendRateExceeded',
  'TooManyRequestsException',
]);

function isSesThrottling(error: unknown): boolean {
  const e = error as { name?: string; message?: string };
  return (
    SES_THROTTLING.has(e.name ?? '') ||
    /maximum sending rate exceeded/i.test(e.message ?? '') ||
    isTransient(error)
  );
}

export class SesMailer implements Mailer {
  /**
   * @param configurationSet the SES configuration set every message is sent through (suppression,
   *   bounce/complaint events, reputation metrics); null only for local runs against an emulator.
   */
  constructor(
    private readonly client: SESClient = sesClient(),
    private readonly configurationSet: string | null = null,
  ) {}

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    try {
      const response = await this.client.send(
        new SendRawEmailCommand({
          Source: mail.from,
          Destinations: [mail.to],
          RawMessage: { Data: mail.raw },
          ...(this.configurationSet === null ? {} : { ConfigurationSetName: this.configurationSet }),
        }),
      );
      return { messageId: response.MessageId ?? '' };
    } catch (error) {
      if (isSesThrottling(error)) {
        throw new TransientError('SES is throttling sends; backing off before the next try.', {
          cause: error,
        });
      }
      // MessageRejected, MailFromDomainNotVerified, ...: this address or message will not go through as is.
      throw error;
    }
  }

  /** The account's sending rate (messages per second), so senders can pace themselves under it. */
  async maxSendRate(): Promise<number> {
    const quota = await this.client.send(new GetSendQuotaCommand({}));
    return quota.MaxSendRate ?? 1;
  }
}
