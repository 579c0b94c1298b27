import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { renderBriefing } from '../../../functions/adapters/mjml-renderer.ts';
import { InputRejectedError } from '../../../functions/core/errors.ts';
import { buildMimeMessage, type MimeInput } from '../../../functions/core/render/mime.ts';
import { encodeQuotedPrintable, encodeWords } from '../../../functions/core/render/mime-encoding.ts';
import { personalise } from '../../../functions/core/render/personalise.ts';
import { signUnsubscribeToken, unsubscribeUrl } from '../../../functions/core/render/unsubscribe-token.ts';
import { CONFIG, repoTemplates, seedsLikeDigest } from './fixtures.ts';

const SECRET = 'test-secret';
const TO = 'Reader@Example.org';

async function seedsMessage(overrides: Partial<MimeInput> = {}) {
  const rendered = await renderBriefing(seedsLikeDigest(), CONFIG, await repoTemplates());
  const url = unsubscribeUrl(
    CONFIG.unsubscribeBaseUrl,
    signUnsubscribeToken(TO, { version: 1, secret: SECRET }, new Date('2026-12-01T07:00:00Z')),
  );
  const { html, text } = personalise(rendered, { email: TO, unsubscribeUrl: url });
  const input: MimeInput = {
    from: CONFIG.senderAddress,
    fromName: CONFIG.senderName,
    to: TO,
    subject: rendered.subject,
    html,
    text,
    listUnsubscribeUrl: url,
    listUnsubscribeMailto: CONFIG.unsubscribeMailto,
    date: new Date('2022-02-28T07:00:00Z'),
    idSeed: '2022-02-28/reader@example.org',
    ...overrides,
  };
  return { input, raw: buildMimeMessage(input), html, text, url };
}

describe('buildMimeMessage', () => {
  it('carries an RFC 2919 List-Id named by the sender, and a Feedback-ID only when given', async () => {
    const { raw } = await seedsMessage();
    const lines = (await simpleParser(raw)).headerLines;
    expect(lines.filter((h) => h.key === 'list-id').map((h) => h.line)).toEqual([
      'List-Id: "News Digest" <briefing.example.com>',
    ]);
    expect(lines.some((h) => h.key === 'feedback-id')).toBe(false);
    const given = await seedsMessage({
      listId: { name: 'Évening Brief', id: 'evening.news.example' },
      feedbackId: '2022-02-28:daily:briefing:example.com',
    });
    const header = given.raw.split('\r\n\r\n')[0] ?? '';
    expect(header).toContain('Feedback-ID: 2022-02-28:daily:briefing:example.com\r\n');
    expect(header).toMatch(/List-Id: =\?utf-8\?[QB]\?[^\r\n]+\?= ?(\r\n )?<evening\.news\.example>/i);
  });

  it('refuses a Feedback-ID that is not colon-separated fields, or a List-Id that is not label.domain', async () => {
    await expect(seedsMessage({ feedbackId: 'one field' })).rejects.toThrow(/Feedback-ID/);
    await expect(seedsMessage({ feedbackId: 'a:b\r\nBcc: x' })).rejects.toThrow(/Feedback-ID/);
    await expect(seedsMessage({ listId: { id: 'no-dot' } })).rejects.toThrow(/List-Id/);
  });

  it('parses back with both parts, byte for byte', async () => {
    const { raw, html, text } = await seedsMessage();
    const parsed = await simpleParser(raw);
    expect(parsed.text).toBe(text);
    expect(parsed.html).toBe(html);
    expect(parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
    expect(parsed.attachments).toHaveLength(0);
  });

  it('carries the required headers', async () => {
    const { raw, url, input } = await seedsMessage();
    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe(input.subject);
    expect(parsed.from?.value).toEqual([{ address: 'briefing@example.com', name: 'News Digest' }]);
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value[0]?.address : null).toBe(TO);
    expect(parsed.date?.toISOString()).toBe('2022-02-28T07:00:00.000Z');
    expect(parsed.messageId).toMatch(/^<[0-9a-f]{32}@example\.com>$/);
    expect(parsed.headers.get('mime-version')).toBe('1.0');
    const list = parsed.headers.get('list') as { unsubscribe?: { url?: string; mail?: string } };
    expect(list.unsubscribe?.url).toBe(url);
    expect(list.unsubscribe?.mail).toBe('unsubscribe@example.com?subject=unsubscribe');
    // mailparser folds List-* headers into `list`; RFC 8058's exact line is in headerLines.
    const post = parsed.headerLines.filter((h) => h.key === 'list-unsubscribe-post').map((h) => h.line);
    expect(post).toEqual(['List-Unsubscribe-Post: List-Unsubscribe=One-Click']);
    const header = raw.split('\r\n\r\n')[0] ?? '';
    expect(header).toMatch(
      /\r\nList-Unsubscribe: <https:\/\/example\.com\/unsubscribe\?token=[^>]+>,\r\n <mailto:/,
    );
  });

  it('keeps every line within RFC limits and uses CRLF only', async () => {
    const { raw } = await seedsMessage();
    expect(raw).not.toMatch(/[^\r]\n/);
    const [head, ...body] = raw.split('\r\n\r\n');
    const headLines = (head ?? '').split('\r\n');
    for (const line of headLines) expect(line.length).toBeLessThanOrEqual(998);
    // Only the List-Unsubscribe URL (one unbreakable token) may pass the 78-column recommendation.
    for (const line of headLines.filter((l) => l.length > 78))
      expect(line).toMatch(/^ ?(List-Unsubscribe: )?<https:/);
    for (const line of body.join('\r\n\r\n').split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
    expect(raw).toMatch(/^[\x00-\x7f]*$/);
  });

  it('encodes a non-ASCII subject and display name per RFC 2047', async () => {
    const subject = 'Переговоры в Беларуси: Zelensky says the next 24 hours are “crucial” — día 5 😀';
    const { raw } = await seedsMessage({ subject, fromName: 'Nachrichten Überblick' });
    const head = raw.split('\r\n\r\n')[0] ?? '';
    expect(head).toMatch(/\r\nSubject: =\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=\r\n =\?UTF-8\?B\?/);
    for (const word of head.match(/=\?[^?]+\?B\?[^?]*\?=/g) ?? [])
      expect(word.length).toBeLessThanOrEqual(75);
    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe(subject);
    expect(parsed.from?.value[0]?.name).toBe('Nachrichten Überblick');
  });

  it('is deterministic and distinguishes recipients', async () => {
    const a = await seedsMessage();
    const b = await seedsMessage();
    expect(a.raw).toBe(b.raw);
    const other = buildMimeMessage({
      ...a.input,
      to: 'other@example.org',
      idSeed: '2022-02-28/other@example.org',
    });
    const idOf = (raw: string) => /Message-ID: (<[^>]+>)/.exec(raw)?.[1];
    expect(idOf(other)).not.toBe(idOf(a.raw));
    expect(buildMimeMessage({ ...a.input, messageIdDomain: 'mail.news.example' })).toMatch(
      /Message-ID: <[0-9a-f]{32}@mail\.news\.example>/,
    );
  });

  it.each([
    ['to', 'victim@example.com\r\nBcc: everyone@example.com'],
    ['to', 'not an address'],
    ['from', 'a@b.com>, <evil@x.com'],
    ['listUnsubscribeUrl', 'http://example.com/unsubscribe'],
    ['listUnsubscribeUrl', 'javascript:alert(1)'],
    ['listUnsubscribeMailto', 'mailto:a@b.com>, <https://evil.example'],
  ] as const)('rejects a %s of %j', async (field, value) => {
    const { input } = await seedsMessage();
    expect(() => buildMimeMessage({ ...input, [field]: value })).toThrow(InputRejectedError);
  });

  it('folds a subject with a newline into one header line', async () => {
    const { raw } = await seedsMessage({ subject: 'Hello\r\nBcc: victim@example.com' });
    const parsed = await simpleParser(raw);
    expect(parsed.headers.has('bcc')).toBe(false);
    expect(parsed.subject).toBe('Hello Bcc: victim@example.com');
  });
});

describe('encoders', () => {
  it('quoted-printable round-trips through mailparser-independent decoding', () => {
    const text = `Naïve café = 100%  \nline with trailing tab\t\n${'é'.repeat(60)}\n`;
    const encoded = encodeQuotedPrintable(text);
    for (const line of encoded.split('\r\n')) {
      expect(line.length).toBeLessThanOrEqual(76);
      expect(line).not.toMatch(/[ \t]$/);
    }
    // Decode by the RFC's rules, independently of the encoder: drop soft breaks, then =XX → byte.
    const joined = encoded.replace(/=\r\n/g, '').replace(/\r\n/g, '\n');
    const bytes: number[] = [];
    for (let i = 0; i < joined.length; i++) {
      if (joined[i] === '=') {
        bytes.push(Number.parseInt(joined.slice(i + 1, i + 3), 16));
        i += 2;
      } else bytes.push(joined.charCodeAt(i));
    }
    expect(Buffer.from(bytes).toString('utf8')).toBe(text);
  });

  it('never splits a character between encoded words', () => {
    const words = encodeWords('😀'.repeat(40));
    for (const word of words) {
      const b64 = /^=\?UTF-8\?B\?(.*)\?=$/.exec(word)?.[1] ?? '';
      expect(Buffer.from(b64, 'base64').toString('utf8')).toMatch(/^(😀)+$/u);
    }
  });
});
