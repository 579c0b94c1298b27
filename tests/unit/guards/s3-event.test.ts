/**
 * What each guard in the S3 notification reader is for: the ingest queue carries S3's test event,
 * non-create events and keys in S3's `+`-for-space URL encoding, and a malformed body must fail loudly
 * rather than be taken for an empty batch.
 */
import { describe, expect, it } from 'vitest';
import { chunk, decodeS3Key, objectsInNotification } from '../../../functions/core/s3-event.ts';

const body = (records: unknown) => JSON.stringify({ Records: records });

describe('decodeS3Key', () => {
  it('reads every + as a space and %2B as a literal plus', () => {
    expect(decodeS3Key('inbox/a+b+c%2Bd.txt')).toBe('inbox/a b c+d.txt');
  });

  it('decodes percent escapes, including multi-byte UTF-8', () => {
    expect(decodeS3Key('inbox/caf%C3%A9%20news.html')).toBe('inbox/café news.html');
  });

  it('keeps a key with a malformed escape as given (spaces decoded) rather than losing the file', () => {
    expect(decodeS3Key('inbox/100%+sure.txt')).toBe('inbox/100% sure.txt');
  });
});

describe('objectsInNotification', () => {
  it('reads the key, event time and size of a created object', () => {
    const objects = objectsInNotification(
      body([
        {
          eventName: 'ObjectCreated:Put',
          eventTime: '2026-03-01T06:00:00.000Z',
          s3: { object: { key: 'inbox/my+article.html', size: 1234 } },
        },
      ]),
    );
    expect(objects).toEqual([
      { key: 'inbox/my article.html', eventTime: new Date('2026-03-01T06:00:00.000Z'), size: 1234 },
    ]);
  });

  it('announces nothing for the s3:TestEvent sent when the notification is set up', () => {
    expect(objectsInNotification(JSON.stringify({ Event: 's3:TestEvent', Service: 'Amazon S3' }))).toEqual(
      [],
    );
  });

  it('refuses a body that is not an S3 notification, naming what is missing', () => {
    expect(() => objectsInNotification(JSON.stringify({ Event: 's3:ObjectCreated:Put' }))).toThrow(
      'The message is not an S3 event notification (no Records array).',
    );
    expect(() => objectsInNotification(JSON.stringify({ Records: { 0: {} } }))).toThrow(/no Records array/);
  });

  it('skips records of other events (removals, restores) and keeps create events of every kind', () => {
    const objects = objectsInNotification(
      body([
        { eventName: 'ObjectRemoved:Delete', s3: { object: { key: 'gone.txt' } } },
        { eventName: 'ObjectRestore:Completed', s3: { object: { key: 'restored.txt' } } },
        { eventName: 'ObjectCreated:CompleteMultipartUpload', s3: { object: { key: 'big.txt' } } },
        { eventName: 'ObjectCreated:Copy', s3: { object: { key: 'copy.txt' } } },
      ]),
    );
    expect(objects.map((o) => o.key)).toEqual(['big.txt', 'copy.txt']);
  });

  it('takes a record without an event name as a create (emulators omit it)', () => {
    expect(objectsInNotification(body([{ s3: { object: { key: 'plain.txt' } } }]))).toEqual([
      { key: 'plain.txt', eventTime: null, size: null },
    ]);
  });

  it('refuses a create record without a string key', () => {
    for (const record of [{}, { s3: {} }, { s3: { object: {} } }, { s3: { object: { key: 42 } } }]) {
      expect(() => objectsInNotification(body([record]))).toThrow('An S3 event record has no object key.');
    }
  });

  it('gives no event time for an unparseable one, and no size for a non-numeric one', () => {
    const [object] = objectsInNotification(
      body([{ eventTime: 'yesterday-ish', s3: { object: { key: 'a.txt', size: '12' } } }]),
    );
    expect(object).toEqual({ key: 'a.txt', eventTime: null, size: null });
  });

  it('keeps a size of zero (an empty upload is still an upload, refused later as empty)', () => {
    const [object] = objectsInNotification(body([{ s3: { object: { key: 'a.txt', size: 0 } } }]));
    expect(object?.size).toBe(0);
  });
});

describe('chunk', () => {
  it('splits into batches of at most the size, in order, the last one shorter', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([1, 2, 3, 4], 2)).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(chunk([], 3)).toEqual([]);
  });

  it('takes a batch size of one', () => {
    expect(chunk(['a', 'b'], 1)).toEqual([['a'], ['b']]);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses the batch size %d, naming it', (size) => {
    expect(() => chunk([1], size)).toThrow(
      new RangeError(`Batch size must be a positive integer, not ${size}.`),
    );
  });
});
