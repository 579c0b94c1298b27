/**
 * An in-memory SubscriberStore with the same rules as the real ones (core/subscriber.ts), for unit
 * tests that need a list but no storage.
 */
import { subscriberAddress } from '../../functions/core/address.ts';
import {
  type AdmitOptions,
  admitSubscriber,
  isComplaintSuppressed,
  isSuppressed,
  keepAddress,
  type Subscriber,
} from '../../functions/core/subscriber.ts';
import type { SubscriberStore } from '../../functions/ports.ts';

export class MemorySubscriberStore implements SubscriberStore {
  readonly removals: string[] = [];
  private records: Subscriber[];

  constructor(
    records: readonly Subscriber[] = [],
    private readonly now: () => Date = () => new Date(0),
  ) {
    this.records = [...records];
  }

  async list(): Promise<Subscriber[]> {
    return [...this.records];
  }

  async get(email: string): Promise<Subscriber | null> {
    return this.records.find((s) => s.email === email.trim().toLowerCase()) ?? null;
  }

  async add(email: string, options?: AdmitOptions): Promise<Subscriber> {
    const address = subscriberAddress(email);
    const existing = await this.get(address);
    const admitted = admitSubscriber(existing, address, this.now(), options);
    this.records = [...this.records.filter((s) => s.email !== address), admitted];
    return admitted;
  }

  async remove(email: string): Promise<boolean> {
    const address = email.trim().toLowerCase();
    this.removals.push(email);
    const existing = await this.get(address);
    if (existing === null || isComplaintSuppressed(existing)) return false;
    this.records = this.records.filter((s) => s.email !== address);
    return !isSuppressed(existing);
  }

  async update(email: string, change: (current: Subscriber) => Subscriber): Promise<Subscriber | null> {
    const existing = await this.get(email);
    if (existing === null) return null;
    const next = keepAddress(existing, change(existing));
    this.records = this.records.map((s) => (s === existing ? next : s));
    return next;
  }
}
