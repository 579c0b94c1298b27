/** The digest builder's queue messages: the days they ask for, once each, and what cannot be read. */
import { describe, expect, it } from 'vitest';
import { daysInMessages } from '../../../functions/app/digest-queue.ts';
import { sqsEventFor } from '../../support/sqs-events.ts';

describe('daysInMessages', () => {
  it('gathers each requested day once, with every message that asked for it', () => {
    const event = sqsEventFor('bucket', [
      'digest-requests/2022-03-08',
      'digest-requests/2022-03-09',
      'digest-requests/2022-03-08',
    ]);
    const { messagesOf, unreadable } = daysInMessages(event.Records);
    expect(unreadable).toEqual([]);
    expect([...messagesOf.keys()]).toEqual(['2022-03-08', '2022-03-09']);
    expect(messagesOf.get('2022-03-08')).toEqual([event.Records[0]?.messageId, event.Records[2]?.messageId]);
  });

  it('sets aside a message that is not a digest request, naming the key, and keeps the others', () => {
    const event = sqsEventFor('bucket', [
      'digest-requests/2022-02-30',
      'incoming/story.txt',
      'digest-requests/2022-03-08',
    ]);
    const garbled = { ...event.Records[0], messageId: 'garbled', body: '{"Records": 7' };
    const { messagesOf, unreadable } = daysInMessages([...event.Records, garbled as never]);
    expect([...messagesOf.keys()]).toEqual(['2022-03-08']);
    expect(unreadable.map((u) => u.messageId)).toEqual([
      event.Records[0]?.messageId,
      event.Records[1]?.messageId,
      'garbled',
    ]);
    expect(unreadable[1]?.error.message).toContain('"incoming/story.txt" is not a digest request');
  });

  it('reads the test event S3 sends when the notification is set up as asking for nothing', () => {
    const test = { messageId: 'test', body: JSON.stringify({ Event: 's3:TestEvent', Bucket: 'bucket' }) };
    expect(daysInMessages([test])).toEqual({ messagesOf: new Map(), unreadable: [] });
  });
});
