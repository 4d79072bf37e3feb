import { describe, expect, it } from 'vitest';
import type { LoggedEvent } from '../../shared/schemas/sync.js';
import { RecentEvents } from './recentEvents.js';
import { liveFrameEncoder, markShared } from './sharedLivePages.js';

const event = (seq: number): LoggedEvent => ({
  seq,
  eventId: `event-${seq}`,
  conversationId: 'web:visitor',
  occurredAt: 1_000 + seq,
  acceptedAt: 2_000 + seq,
  body: { type: 'customer.message', messageId: `message-${seq}`, channel: 'web', text: `hello "${seq}" \u2028 ✓` },
} as LoggedEvent);

const envelope = (subscriptionId: number | string, page: object) => ({ id: subscriptionId, jsonrpc: undefined, result: { type: 'data', id: '7', data: { id: '7', data: page } } });

describe('live pages shared by the subscribers of a tenant', () => {
  it('encodes a shared page into exactly the frame the default JSON encoder makes, for each subscription id', () => {
    const page = markShared({ kind: 'events', epoch: 'e', fromSeq: 0, throughSeq: 2, headSeq: 2, events: [event(1), event(2)] });
    for (const id of [1, 42, 'a "quoted" id', `"ares-live-page-"`]) {
      const message = envelope(id, page);
      expect(liveFrameEncoder.encode(message)).toBe(JSON.stringify(message));
    }
    const unshared = envelope(3, { kind: 'events', events: [] });
    expect(liveFrameEncoder.encode(unshared)).toBe(JSON.stringify(unshared));
    expect(liveFrameEncoder.encode({ id: 1, result: { type: 'stopped' } })).toBe('{"id":1,"result":{"type":"stopped"}}');
    expect(liveFrameEncoder.decode('{"id":1}')).toEqual({ id: 1 });
  });

  it('serialises a shared page once however many subscriptions receive it', () => {
    let serialisations = 0;
    const page = markShared({
      toJSON() {
        serialisations += 1;
        return { kind: 'events', events: [] };
      },
    });
    const frames = Array.from({ length: 10 }, (_, index) => liveFrameEncoder.encode(envelope(index, page)));
    expect(serialisations).toBe(1);
    expect(new Set(frames.map((frame) => JSON.stringify((JSON.parse(frame) as { result: unknown }).result))).size).toBe(1);
  });

  it('gives subscribers at the same position one page object until the next commit, and none after the tail is forgotten', () => {
    const recent = new RecentEvents();
    recent.committed('tenant', 'e', event(1));
    recent.committed('tenant', 'e', event(2));
    const first = recent.page('tenant', 'e', 0, 1000);
    expect(first).toMatchObject({ kind: 'events', epoch: 'e', fromSeq: 0, throughSeq: 2, headSeq: 2 });
    expect(recent.page('tenant', 'e', 0, 1000)).toBe(first);
    expect(recent.page('tenant', 'e', 1, 1000)).toMatchObject({ fromSeq: 1, throughSeq: 2, events: [event(2)] });

    recent.committed('tenant', 'e', event(3));
    const next = recent.page('tenant', 'e', 0, 1000);
    expect(next).not.toBe(first);
    expect(next).toMatchObject({ throughSeq: 3, headSeq: 3 });
    expect(recent.page('tenant', 'other epoch', 0, 1000)).toBeNull();

    // An erasure or retention run drops the tail: no page built before it may be served again.
    recent.forget('tenant');
    expect(recent.page('tenant', 'e', 0, 1000)).toBeNull();
  });
});
