/**
 * The subscriber list in S3 (SubscriberStore): subscribers/list.json, changed by read-modify-write with
 * If-Match, merged on read with the stack's subscribers/initial.json.
 *
 * Unsubscribe tombstones are HMACs of the address keyed with the stack secret when the store can load
 * it, else the unkeyed SHA-256 of earlier releases; either form hides the address, and legacy entries
 * are kept for good, so a store without the secret (the operator CLI without access) still works.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { FIXED_KEYS } from '../contracts.ts';
import { subscriberAddress } from '../core/address.ts';
import { addressKey, legacyAddressKey } from '../core/address-key.ts';
import { ConcurrentWriteError } from '../core/errors.ts';
import { signingKeysFrom } from '../core/signing-keys.ts';
import {
  type AdmitOptions,
  admitSubscriber,
  findSubscriber,
  isComplaintSuppressed,
  isSuppressed,
  keepAddress,
  type Subscriber,
} from '../core/subscriber.ts';
import type { SubscriberStore } from '../ports.ts';
import { s3Client } from './clients.ts';
import { getObject, putObject } from './s3-objects.ts';

interface SubscriberList {
  subscribers: Subscriber[];
  /** Keyed (or legacy unkeyed) hashes of addresses that unsubscribed, so an initial subscriber who leaves stays gone. */
  unsubscribed: string[];
}

/** Attempts for a read-modify-write of the subscriber list before giving up on a busy object. */
const SUBSCRIBER_WRITE_ATTEMPTS = 5;

export class S3SubscriberStore implements SubscriberStore {
  constructor(
    private readonly bucket: string,
    private readonly client: S3Client = s3Client(),
    /** Loads the stack secret that keys tombstones; without it tombstones are the legacy unkeyed hash. */
    private readonly loadSecret?: () => Promise<string>,
  ) {}

  /**
   * The forms a tombstone of an address may take: keyed with each signing key (current first, so a
   * rotation's previous key still matches) and the legacy unkeyed hash last. The first is the one written.
   */
  private async tombstoneForms(): Promise<(address: string) => string[]> {
    const secrets =
      this.loadSecret === undefined ? [] : signingKeysFrom(await this.loadSecret()).map((key) => key.secret);
    return (address) => [...secrets.map((secret) => addressKey(address, secret)), legacyAddressKey(address)];
  }

  /** The object operators' changes go to, for messages that say which list changed. */
  get location(): string {
    return `s3://${this.bucket}/${FIXED_KEYS.subscriberList}`;
  }

  private async readList(): Promise<{ list: SubscriberList; etag: string | null }> {
    const object = await getObject(this.client, this.bucket, FIXED_KEYS.subscriberList);
    if (object === null) return { list: { subscribers: [], unsubscribed: [] }, etag: null };
    const parsed = JSON.parse(new TextDecoder().decode(object.body)) as Partial<SubscriberList>;
    return {
      list: { subscribers: parsed.subscribers ?? [], unsubscribed: parsed.unsubscribed ?? [] },
      etag: object.etag,
    };
  }

  private async modifyList(change: (list: SubscriberList) => boolean): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      const { list, etag } = await this.readList();
      const changed = change(list);
      if (!changed) return false;
      try {
        await putObject(
          this.client,
          this.bucket,
          FIXED_KEYS.subscriberList,
          JSON.stringify(list),
          etag === null ? { ifNoneMatch: '*' } : { ifMatch: etag },
        );
        return true;
      } catch (error) {
        if (attempt < SUBSCRIBER_WRITE_ATTEMPTS && error instanceof ConcurrentWriteError) continue;
        throw error;
      }
    }
  }

  /** The stack's initial subscribers, as active records (they are strings in initial.json). */
  private async initialRecords(): Promise<Subscriber[]> {
    const initial = await getObject(this.client, this.bucket, FIXED_KEYS.initialSubscribers);
    if (initial === null) return [];
    const parsed = JSON.parse(new TextDecoder().decode(initial.body)) as { subscribers?: string[] };
    return (parsed.subscribers ?? []).map((email) => ({
      email: email.toLowerCase(),
      subscribedAt: 'initial',
    }));
  }

  /** The operators' records over the initial ones, less the unsubscribed. */
  private static merge(
    list: SubscriberList,
    initial: readonly Subscriber[],
    forms: (address: string) => string[],
  ): Subscriber[] {
    const gone = new Set(list.unsubscribed);
    const byAddress = new Map<string, Subscriber>();
    for (const subscriber of initial) byAddress.set(subscriber.email, subscriber);
    for (const subscriber of list.subscribers) byAddress.set(subscriber.email.toLowerCase(), subscriber);
    return [...byAddress.values()].filter((s) => !forms(s.email).some((form) => gone.has(form)));
  }

  async list(): Promise<Subscriber[]> {
    const [{ list }, initial, forms] = await Promise.all([
      this.readList(),
      this.initialRecords(),
      this.tombstoneForms(),
    ]);
    return S3SubscriberStore.merge(list, initial, forms);
  }

  async get(email: string): Promise<Subscriber | null> {
    return findSubscriber(await this.list(), email);
  }

  async add(email: string, options?: AdmitOptions): Promise<Subscriber> {
    const address = subscriberAddress(email);
    const [initial, forms] = await Promise.all([this.initialRecords(), this.tombstoneForms()]);
    let stored: Subscriber | undefined;
    await this.modifyList((list) => {
      const existing = S3SubscriberStore.merge(list, initial, forms).find((s) => s.email === address) ?? null;
      const admitted = admitSubscriber(existing, address, new Date(), options);
      stored = admitted;
      const tombstones = forms(address);
      const resubscribed = list.unsubscribed.some((h) => tombstones.includes(h));
      list.unsubscribed = list.unsubscribed.filter((h) => !tombstones.includes(h));
      if (admitted === existing) return resubscribed;
      list.subscribers = [...list.subscribers.filter((s) => s.email !== address), admitted];
      return true;
    });
    return stored as Subscriber;
  }

  async remove(email: string): Promise<boolean> {
    const address = email.trim().toLowerCase();
    const current = (await this.list()).find((s) => s.email === address);
    if (current !== undefined && isComplaintSuppressed(current)) return false;
    const tombstones = (await this.tombstoneForms())(address);
    await this.modifyList((list) => {
      const before = list.subscribers.length;
      list.subscribers = list.subscribers.filter((s) => s.email !== address || isComplaintSuppressed(s));
      const tombstoned = list.unsubscribed.some((h) => tombstones.includes(h));
      if (!tombstoned) list.unsubscribed.push(tombstones[0] as string);
      return before !== list.subscribers.length || !tombstoned;
    });
    return current !== undefined && !isSuppressed(current);
  }

  async update(email: string, change: (current: Subscriber) => Subscriber): Promise<Subscriber | null> {
    const address = email.trim().toLowerCase();
    const [initial, forms] = await Promise.all([this.initialRecords(), this.tombstoneForms()]);
    let stored: Subscriber | null = null;
    await this.modifyList((list) => {
      const current = S3SubscriberStore.merge(list, initial, forms).find((s) => s.email === address) ?? null;
      stored = current === null ? null : keepAddress(current, change(current));
      if (current === null || stored === current) return false;
      // An initial subscriber's record moves into list.json, where operators' changes live.
      list.subscribers = [...list.subscribers.filter((s) => s.email !== address), stored as Subscriber];
      return true;
    });
    return stored;
  }
}

export async function s3SubscriberStoreFor(
  bucket: string,
  loadSecret?: () => Promise<string>,
): Promise<S3SubscriberStore> {
  return new S3SubscriberStore(bucket, s3Client(), loadSecret);
}
