/** Quoted-printable bodies decode back to exactly what was encoded, with no line over 76 characters. */
import fc from 'fast-check';
import libqp from 'libqp';
import { describe, expect, it } from 'vitest';
import { encodeQuotedPrintable, QP_LINE_LIMIT } from '../../functions/core/render/mime-encoding.ts';

describe('encodeQuotedPrintable', () => {
  it('round-trips any text and keeps every line within 76 characters', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 400 }),
        fc.stringMatching(/^[ \t=a-z\n]{0,200}$/),
        (text, tricky) => {
          const input = `${text}${tricky}`.replace(/\r/g, '');
          const encoded = encodeQuotedPrintable(input);
          for (const line of encoded.split('\r\n')) expect(line.length).toBeLessThanOrEqual(QP_LINE_LIMIT);
          expect(encoded).not.toMatch(/[ \t]\r\n|[ \t]$/);
          expect(libqp.decode(encoded).toString('utf8')).toBe(input.replace(/\n/g, '\r\n'));
        },
      ),
      { numRuns: 300 },
    );
  });
});
