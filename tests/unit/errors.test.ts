/**
 * Every error class spells out its name: bundlers rename classes (the Lambda bundles are minified),
 * and the name is what logs show and what a worker thread's error is recognised by (a TransientError
 * stays retryable only by name).
 */
import { describe, expect, it } from 'vitest';
import { TemplateError } from '../../functions/adapters/mjml-renderer.ts';
import { IngestCommitError } from '../../functions/app/ingest-batch.ts';
import * as errors from '../../functions/core/errors.ts';

describe('error names', () => {
  const classes: Record<string, new (message: string) => Error> = {
    NewsDigestError: errors.NewsDigestError,
    ConfigError: errors.ConfigError,
    ConcurrentWriteError: errors.ConcurrentWriteError,
    TransientError: errors.TransientError,
    IngestCommitError,
    TemplateError,
  };

  it.each(Object.entries(classes))(
    '%s is named after itself, whatever a bundler calls the class',
    (name, ErrorClass) => {
      const error = new ErrorClass('went wrong');
      expect(error.name).toBe(name);
      expect(error).toBeInstanceOf(errors.NewsDigestError);
      expect(String(error)).toBe(`${name}: went wrong`);
    },
  );

  it('names an InputRejectedError and keeps its code', () => {
    const error = new errors.InputRejectedError('empty', 'the file is empty');
    expect([error.name, error.reason]).toEqual(['InputRejectedError', 'empty: the file is empty']);
  });

  it('covers every class core/errors.ts exports', () => {
    const exported = Object.entries(errors).filter(([, value]) => typeof value === 'function');
    expect(exported.map(([name]) => name).sort()).toEqual(
      [
        'NewsDigestError',
        'InputRejectedError',
        'ConfigError',
        'ConcurrentWriteError',
        'TransientError',
      ].sort(),
    );
  });
});
