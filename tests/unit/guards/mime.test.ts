/**
 * What each guard of the MIME builder is for: every header value comes from configuration or a
 * subscriber store, so an address, URL or domain that could break out of its header is refused with
 * a code saying whose fault it is, and the message itself is exactly the RFC 5322/2046 text intended.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InputRejectedError } from '../../../functions/core/errors.ts';
import {
  BAD_RECIPIENT,
  buildMimeMessage,
  formatRfc5322Date,
  listIdOf,
  type MimeInput,
} from '../../../functions/core/render/mime.ts';

const INPUT: MimeInput = {
  from: 'briefing@news.example.org',
  to: 'ann@example.org',
  subject: 'Morning briefing',
  html: '<p>Hi</p>',
  text: 'Hi',
  listUnsubscribeUrl: 'https://news.example.org/u?token=t',
  listUnsubscribeMailto: 'unsubscribe@news.example.org',
  date: new Date('2026-03-01T06:05:09Z'),
  idSeed: 'seed',
};

function refusal(input: MimeInput): InputRejectedError {
  try {
    buildMimeMessage(input);
  } catch (error) {
    if (error instanceof InputRejectedError) return error;
    throw error;
  }
  throw new Error('the message was built');
}

const header = (raw: string, name: string) =>
  new RegExp(`^${name}: (.*(?:\\r\\n .*)*)`, 'm').exec(raw.split('\r\n\r\n')[0] ?? '')?.[1];

describe('buildMimeMessage', () => {
  it('writes exactly this message: headers, preamble, plain part, HTML part, closing boundary', () => {
    const digest = createHash('sha256').update('seed').digest('hex');
    const boundary = `=_nd_${digest.slice(32)}`;
    expect(buildMimeMessage(INPUT)).toBe(
      [
        'From: briefing@news.example.org',
        'To: ann@example.org',
        'Subject: Morning briefing',
        'Date: Sun, 01 Mar 2026 06:05:09 +0000',
        `Message-ID: <${digest.slice(0, 32)}@news.example.org>`,
        'MIME-Version: 1.0',
        'List-Id: <briefing.news.example.org>',
        'List-Unsubscribe: <https://news.example.org/u?token=t>,',
        ' <mailto:unsubscribe@news.example.org>',
        'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
        'Content-Type: multipart/alternative;',
        ` boundary="${boundary}"`,
        '',
        'This is a multi-part message in MIME format.',
        `--${boundary}`,
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: quoted-printable',
        '',
        'Hi',
        `--${boundary}`,
        'Content-Type: text/html; charset=utf-8',
        'Content-Transfer-Encoding: quoted-printable',
        '',
        '<p>Hi</p>',
        `--${boundary}--`,
        '',
      ].join('\r\n'),
    );
  });

  it('puts a display name before the From address, and none when the name is empty', () => {
    expect(header(buildMimeMessage({ ...INPUT, fromName: 'News Desk' }), 'From')).toBe(
      '"News Desk" <briefing@news.example.org>',
    );
    expect(header(buildMimeMessage({ ...INPUT, fromName: '' }), 'From')).toBe('briefing@news.example.org');
  });

  it('trims the addresses it is given', () => {
    const raw = buildMimeMessage({
      ...INPUT,
      from: ' briefing@news.example.org ',
      to: '\tann@example.org\n',
    });
    expect(header(raw, 'From')).toBe('briefing@news.example.org');
    expect(header(raw, 'To')).toBe('ann@example.org');
  });

  it('refuses a bad To address as that recipient’s fault, and a bad From as the configuration’s', () => {
    const to = refusal({ ...INPUT, to: 'ann@example.org, eve@example.org' });
    expect(to.code).toBe(BAD_RECIPIENT);
    expect(BAD_RECIPIENT).toBe('bad-recipient');
    expect(to.message).toMatch(/^The To address is not a plain email address; a plain address is ASCII/);
    const from = refusal({ ...INPUT, from: 'Briefing <briefing@news.example.org>' });
    expect(from.code).toBe('bad-address');
    expect(from.message).toMatch(/^The From address is not a plain email address; /);
  });

  it('refuses a List-Unsubscribe URL that is not https, saying RFC 8058 needs one', () => {
    for (const url of ['http://news.example.org/u', 'mailto:u@news.example.org', 'not a url']) {
      const error = refusal({ ...INPUT, listUnsubscribeUrl: url });
      expect(error.code).toBe('bad-unsubscribe');
      expect(error.message).toBe('List-Unsubscribe needs an https URL (RFC 8058 one-click).');
    }
  });

  it('takes the unsubscribe mailto with or without its scheme, in any case, keeping its query', () => {
    const list = (mailto: string) =>
      header(buildMimeMessage({ ...INPUT, listUnsubscribeMailto: mailto }), 'List-Unsubscribe');
    expect(list('MAILTO:u@news.example.org?subject=stop')).toMatch(
      /<mailto:u@news\.example\.org\?subject=stop>$/,
    );
    expect(list('  u@news.example.org ')).toMatch(/<mailto:u@news\.example\.org>$/);
    expect(list('u@news.example.org?subject=mailto:stop')).toMatch(
      /<mailto:u@news\.example\.org\?subject=mailto:stop>$/,
    );
    expect(list('u%2Bstop@news.example.org')).toMatch(/<mailto:u%2Bstop@news\.example\.org>$/);
  });

  it('refuses an unsubscribe mailto whose address is not plain, without repeating it', () => {
    const error = refusal({ ...INPUT, listUnsubscribeMailto: 'mailto:stop@bücher.de' });
    expect(error.code).toBe('bad-address');
    expect(error.message).toMatch(/^The List-Unsubscribe mailto address is not a plain email address; /);
    expect(error.message).not.toContain('bücher');
    expect(refusal({ ...INPUT, listUnsubscribeMailto: 'u%0D%0ABcc:x@news.example.org' }).code).toBe(
      'bad-address',
    );
  });

  it('refuses an unsubscribe mailto with a space, <, > or " in its query (it would end the header’s <…>)', () => {
    for (const query of ['?subject=un subscribe', '?x=<y', '?x=>y', '?x="y']) {
      const error = refusal({ ...INPUT, listUnsubscribeMailto: `mailto:u@news.example.org${query}` });
      expect(error.code).toBe('bad-unsubscribe');
      expect(error.message).toBe('The unsubscribe mailto: URI must not contain spaces, <, > or ".');
    }
  });

  it('takes the Message-ID domain from the From address, lower-cased, unless one is given', () => {
    const id = (input: MimeInput) => header(buildMimeMessage(input), 'Message-ID');
    expect(id({ ...INPUT, from: 'briefing@News.Example.ORG' })).toMatch(/@news\.example\.org>$/);
    expect(id({ ...INPUT, messageIdDomain: 'Mail.Example.net' })).toMatch(/@mail\.example\.net>$/);
  });

  it('refuses a Message-ID domain that is not a dotted domain name', () => {
    for (const domain of ['localhost', 'x> <y.example.org', 'news.example.org>', 'bad domain.org', '']) {
      const error = refusal({ ...INPUT, messageIdDomain: domain });
      expect(error.code).toBe('bad-domain');
      expect(error.message).toBe(`Message-ID domain "${domain.toLowerCase()}" is not a domain name.`);
    }
  });

  it('without a seed, derives Message-ID and boundary from the date, the recipient and the subject', () => {
    const { idSeed: _, ...unseeded } = INPUT;
    const id = (input: MimeInput) => header(buildMimeMessage(input), 'Message-ID');
    const boundary = (input: MimeInput) => /boundary="([^"]+)"/.exec(buildMimeMessage(input))?.[1];
    const base = id(unseeded);
    expect(id(unseeded)).toBe(base);
    expect(id({ ...unseeded, to: 'ANN@example.org' })).toBe(base);
    expect(id({ ...unseeded, to: 'bob@example.org' })).not.toBe(base);
    expect(id({ ...unseeded, subject: 'Evening briefing' })).not.toBe(base);
    expect(id({ ...unseeded, date: new Date('2026-03-02T06:05:09Z') })).not.toBe(base);
    expect(boundary({ ...unseeded, to: 'bob@example.org' })).not.toBe(boundary(unseeded));
    const seed = `${INPUT.date.toISOString()}\nann@example.org\nMorning briefing`;
    expect(id({ ...INPUT, idSeed: seed })).toBe(base);
  });
});

describe('List-Id', () => {
  const listIdHeader = (input: MimeInput) => header(buildMimeMessage(input), 'List-Id');

  it('is named after the sender address, so readers’ filters survive a redeploy', () => {
    expect(listIdOf(' Briefing+Daily@News.Example.ORG ')).toBe('briefing-daily.news.example.org');
    expect(listIdOf('+news+@example.org')).toBe('news.example.org');
    expect(listIdOf('++@example.org')).toBe('briefing.example.org');
  });

  it('carries the list name given, else the From display name, else none', () => {
    expect(listIdHeader({ ...INPUT, listId: { name: 'Daily', id: 'daily.example.org' } })).toBe(
      '"Daily" <daily.example.org>',
    );
    expect(listIdHeader({ ...INPUT, fromName: 'News Desk' })).toBe('"News Desk" <briefing.news.example.org>');
    expect(listIdHeader({ ...INPUT, listId: { id: 'daily.example.org' } })).toBe('<daily.example.org>');
  });

  it('refuses an id that is not label.domain, which could break out of its <…>', () => {
    for (const id of ['daily', 'daily.example.org> x', 'x <daily.example.org']) {
      const error = refusal({ ...INPUT, listId: { id } });
      expect(error.code).toBe('bad-list-id');
      expect(error.message).toBe(`List-Id "${id}" is not of the form label.domain.`);
    }
  });
});

describe('Feedback-ID', () => {
  it('is written when given, with two to four fields', () => {
    for (const id of ['a:SenderId', 'digest.2026-03-01:news:SenderId', 'a:b:c:Sender_1']) {
      expect(header(buildMimeMessage({ ...INPUT, feedbackId: id }), 'Feedback-ID')).toBe(id);
    }
    expect(header(buildMimeMessage(INPUT), 'Feedback-ID')).toBeUndefined();
  });

  it('refuses one field, five fields, or anything but letters, digits, dots, hyphens and underscores', () => {
    for (const id of [
      'SenderId',
      'a:b:c:d:e',
      'a b:SenderId',
      'a:SenderId\r\nBcc: x@y.org',
      ':SenderId',
      'a:',
    ]) {
      const error = refusal({ ...INPUT, feedbackId: id });
      expect(error.code).toBe('bad-feedback-id');
      expect(error.message).toBe(
        `Feedback-ID "${id}" must be 2 to 4 colon-separated fields of letters, digits, dots, hyphens and underscores.`,
      );
    }
  });
});

describe('formatRfc5322Date', () => {
  it('names every weekday', () => {
    const days = [1, 2, 3, 4, 5, 6, 7].map((d) =>
      formatRfc5322Date(new Date(Date.UTC(2026, 5, d))).slice(0, 3),
    );
    expect(days).toEqual(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);
  });

  it('names every month', () => {
    const months = Array.from({ length: 12 }, (_, m) =>
      formatRfc5322Date(new Date(Date.UTC(2026, m, 15))).slice(8, 11),
    );
    expect(months).toEqual([
      'Jan',
      'Feb',
      'Mar',
      'Apr',
      'May',
      'Jun',
      'Jul',
      'Aug',
      'Sep',
      'Oct',
      'Nov',
      'Dec',
    ]);
  });

  it('pads day, hours, minutes and seconds to two digits, in UTC', () => {
    expect(formatRfc5322Date(new Date('2026-12-31T23:59:58.999Z'))).toBe('Thu, 31 Dec 2026 23:59:58 +0000');
    expect(formatRfc5322Date(new Date('2026-01-02T03:04:05+09:00'))).toBe('Thu, 01 Jan 2026 18:04:05 +0000');
  });
});
