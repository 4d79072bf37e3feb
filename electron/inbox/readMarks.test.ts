import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LoggedEvent } from '../../shared/schemas/sync.js';
import { createCoreCaller } from '../core/appRouter.js';
import { AresCore } from '../core/aresCore.js';
import { syncServiceFor } from '../sync/index.js';

let directory: string;
let core: AresCore;
let caller: ReturnType<typeof createCoreCaller>;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'ares-read-marks-'));
  core = new AresCore({ dataDirectory: directory, kdfParameters: { N: 2 ** 14, r: 8, p: 1 } });
  await core.createTenant('Bakery', 'correct horse battery staple');
  caller = createCoreCaller({ core });
});

afterEach(async () => {
  await core.dispose();
  await rm(directory, { recursive: true, force: true });
});

/** The same customer messages as a relay log numbers them (seq changes between epochs, ids do not). */
function customerMessages(conversationId: string, messageIds: string[], firstSeq: number): LoggedEvent[] {
  return messageIds.map((messageId, index) => ({
    eventId: `00000000-0000-4000-8000-${messageId.padStart(12, '0')}`,
    conversationId,
    occurredAt: 1_000 + index,
    acceptedAt: 1_000 + index,
    seq: firstSeq + index,
    body: { type: 'customer.message', messageId, channel: 'web', customerLabel: 'Zoe', text: `question ${messageId}` },
  }));
}

function applyLog(epoch: string, events: LoggedEvent[]) {
  const store = syncServiceFor(core.requireSession()).store;
  const throughSeq = events.at(-1)!.seq;
  expect(store.applyPage({ kind: 'events', epoch, fromSeq: events[0]!.seq - 1, throughSeq, headSeq: throughSeq, events })).toBe('applied');
}

const unreadOf = async (conversationId: string) => (await caller.liveInbox.conversation({ conversationId })).unread;

describe('unread state across a full resync', () => {
  it('keeps conversations read after the relay log starts a new epoch, and counts only messages that came after', async () => {
    const store = syncServiceFor(core.requireSession()).store;
    store.startAt({ epoch: 'first', seq: 0 });
    const read = customerMessages('web-read', ['11', '12'], 1);
    const unread = customerMessages('web-unread', ['21'], 3);
    applyLog('first', [...read, ...unread]);
    expect([await unreadOf('web-read'), await unreadOf('web-unread')]).toEqual([2, 1]);
    await caller.liveInbox.markRead({ conversationId: 'web-read' });
    expect((await caller.liveInbox.counts()).unreadConversations).toBe(1);

    // The relay's log was reset: same events, new epoch, new seq numbers, and one new message.
    store.resync({ epoch: 'second', seq: 0 }, 'epoch');
    applyLog('second', [...customerMessages('web-unread', ['21'], 1), ...customerMessages('web-read', ['11', '12'], 2)]);
    expect([await unreadOf('web-read'), await unreadOf('web-unread')]).toEqual([0, 1]);
    expect((await caller.liveInbox.counts()).unreadConversations).toBe(1);

    applyLog('second', [{ ...customerMessages('web-read', ['13'], 4)[0]!, eventId: randomUUID() }]);
    expect(await unreadOf('web-read')).toBe(1);
  });
});
