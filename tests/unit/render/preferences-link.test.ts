/**
 * Every email links the reader's preference page with a signed token for that reader: present in the
 * HTML and the plain text, verifiable as a preference link for exactly that address, the same on a
 * re-run (issued at the briefing's date, not the clock), and absent when no page is configured.
 */
import { describe, expect, it } from 'vitest';
import { renderBriefing } from '../../../functions/adapters/mjml-renderer.ts';
import { composeMessage } from '../../../functions/app/compose.ts';
import { verifyToken } from '../../../functions/core/signed-token.ts';
import { CONFIG, repoTemplates, seedsLikeDigest } from './fixtures.ts';

const SECRET = 'preferences-link-test';
const WITH_PAGE = { ...CONFIG, preferencesBaseUrl: 'https://reader.example.on.aws/preferences' };

describe('the preference link in every email', () => {
  it('carries a signed preference token for the recipient, in both parts, identical on a re-run', async () => {
    const digest = seedsLikeDigest();
    const rendered = await renderBriefing(digest, WITH_PAGE, await repoTemplates());
    const first = composeMessage(rendered, digest, WITH_PAGE, 'Ada@Example.org', SECRET);
    const again = composeMessage(rendered, digest, WITH_PAGE, 'Ada@Example.org', SECRET);
    expect(again.raw).toBe(first.raw);
    const link =
      /<(https:\/\/reader\.example\.on\.aws\/preferences\?token=[^>]+)>/.exec(first.text)?.[1] ?? '';
    expect(link).not.toBe('');
    expect(first.html).toContain(link.replace(/=/g, '&#61;'));
    const token = new URL(link).searchParams.get('token') ?? '';
    const claims = verifyToken(
      token,
      'preferences',
      [{ version: 1, secret: SECRET }],
      new Date(`${digest.date}T12:00:00Z`),
    );
    expect(claims?.subject).toBe('ada@example.org');
    expect(
      verifyToken(token, 'confirm', [{ version: 1, secret: SECRET }], new Date(`${digest.date}T12:00:00Z`)),
    ).toBeNull();
    expect(first.html).not.toContain('%%ND_');
  });

  it('is left out when no preference page is configured', async () => {
    const digest = seedsLikeDigest();
    const plain = { ...CONFIG, preferencesBaseUrl: null };
    const message = composeMessage(
      await renderBriefing(digest, plain, await repoTemplates()),
      digest,
      plain,
      'ada@example.org',
      SECRET,
    );
    expect(message.text).not.toContain('preferences');
    expect(message.html).not.toContain('Choose how often');
    expect(message.html).not.toContain('%%ND_');
  });
});
