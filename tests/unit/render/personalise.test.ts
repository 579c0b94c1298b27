import { beforeEach, describe, expect, it, vi } from 'vitest';

// Count MJML compilations: per-subscriber work must not compile anything.
const compilations = vi.hoisted(() => ({ count: 0 }));
vi.mock('mjml', async (importOriginal) => {
  const original = (await importOriginal()) as { default: (...args: unknown[]) => Promise<unknown> };
  return {
    default: async (...args: unknown[]) => {
      compilations.count += 1;
      return original.default(...args);
    },
  };
});

const { renderBriefing } = await import('../../../functions/adapters/mjml-renderer.ts');
const { personalise } = await import('../../../functions/core/render/personalise.ts');
const { PLACEHOLDERS } = await import('../../../functions/core/render/placeholders.ts');
const { CONFIG, repoTemplates, seedsLikeDigest } = await import('./fixtures.ts');

describe('personalise', () => {
  beforeEach(() => {
    compilations.count = 0;
  });

  it('renders MJML once per digest, not once per subscriber', async () => {
    const rendered = await renderBriefing(seedsLikeDigest(), CONFIG, await repoTemplates());
    expect(compilations.count).toBe(1);
    const outputs = Array.from({ length: 25 }, (_, i) =>
      personalise(rendered, {
        email: `reader${i}@example.org`,
        unsubscribeUrl: `https://example.com/unsubscribe?token=t${i}`,
      }),
    );
    expect(compilations.count).toBe(1);
    expect(new Set(outputs.map((o) => o.html)).size).toBe(25);
    for (const [i, out] of outputs.entries()) {
      expect(out.html).toContain(`href="https://example.com/unsubscribe?token&#61;t${i}"`);
      expect(out.text).toContain(`<https://example.com/unsubscribe?token=t${i}>`);
      expect(out.html).toContain(`reader${i}@example.org`);
    }
  });

  it('fills every placeholder and changes nothing else', async () => {
    const rendered = await renderBriefing(seedsLikeDigest(), CONFIG, await repoTemplates());
    expect(rendered.html).toContain(PLACEHOLDERS.unsubscribeUrl);
    expect(rendered.html).toContain(PLACEHOLDERS.email);
    expect(rendered.text).toContain(PLACEHOLDERS.unsubscribeUrl);
    const out = personalise(rendered, { email: 'a@b.com', unsubscribeUrl: 'https://example.com/u?t=1' });
    expect(out.html).not.toContain('%%ND_');
    expect(out.text).not.toContain('%%ND_');
    const back = out.html
      .split('https://example.com/u?t&#61;1')
      .join(PLACEHOLDERS.unsubscribeUrl)
      .split('a@b.com')
      .join(PLACEHOLDERS.email);
    expect(back).toBe(rendered.html);
  });

  it('escapes what it fills in and refuses a non-http unsubscribe URL', async () => {
    const rendered = await renderBriefing(seedsLikeDigest(), CONFIG, await repoTemplates());
    const out = personalise(rendered, {
      email: '"><script>alert(1)</script>@example.org',
      unsubscribeUrl: 'https://example.com/u?a=1&b="x"',
    });
    expect(out.html).not.toContain('<script>');
    expect(out.html).toContain('&quot;&gt;&lt;script&gt;');
    expect(out.html).toContain('href="https://example.com/u?a&#61;1&amp;b&#61;%22x%22"');
    expect(() =>
      personalise(rendered, { email: 'a@b.com', unsubscribeUrl: 'javascript:alert(1)' }),
    ).toThrow();
  });
});
