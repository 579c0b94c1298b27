/** The local stand-in for SES: every message "sent" is written to an outbox folder as an .eml file. */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Mailer, OutgoingMail } from '../ports.ts';
import { writeFileAtomic } from './fs-store.ts';

export class OutboxMailer implements Mailer {
  constructor(private readonly outboxDir: string) {}

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    const messageId = createHash('sha256').update(mail.raw).digest('hex').slice(0, 24);
    const recipient = mail.to.replace(/[^A-Za-z0-9@._-]/g, '_');
    await writeFileAtomic(join(this.outboxDir, `${recipient}-${messageId}.eml`), mail.raw);
    return { messageId };
  }
}
