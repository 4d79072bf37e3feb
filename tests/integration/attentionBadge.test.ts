import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../../relay/testing/relayTestHarness.js';
import { attachAttentionBadge, type BadgeSetter } from '../../electron/shell/attentionBadge.js';
import { createDesktop, ownerAccount, passphrase, startVisitor, waitFor, type Desktop } from './relayTestSupport.js';

/** Electron's `app.setBadgeCount`, recorded (Electron does not run here). */
function fakeBadge(): BadgeSetter & { counts: number[]; readonly current: number | undefined } {
  const counts: number[] = [];
  return {
    counts,
    get current() {
      return counts.at(-1);
    },
    setBadgeCount(count: number) {
      counts.push(count);
      return true;
    },
  };
}

let relay: TestRelay | null = null;
let desktop: Desktop | null = null;
afterEach(async () => {
  await desktop?.dispose();
  await relay?.stop();
  desktop = null;
  relay = null;
});

describe('the dock badge', () => {
  it('counts conversations needing a person as they are handed off and taken over, and clears while locked', async () => {
    relay = await startTestRelay({ rateLimitScale: 0 });
    desktop = await createDesktop('Bakery');
    const badge = fakeBadge();
    const stop = attachAttentionBadge(desktop.core, badge, 'darwin');
    expect(badge.counts).toEqual([0]);

    await desktop.caller.sync.register({ relayUrl: relay.url, ...ownerAccount });
    const widgetKey = desktop.sync().store.connection()!.widgetKey;
    const visitors = [await startVisitor(relay.url, widgetKey), await startVisitor(relay.url, widgetKey)];
    for (const visitor of visitors) await visitor.send('Can I talk to a person?');
    const core = desktop.core;
    const handOff = (conversationId: string) =>
      desktop!.sync().record({ eventId: randomUUID(), conversationId, occurredAt: Date.now(), body: { type: 'conversation.handoff', reason: 'asked_for_human', note: 'The customer asked for a person.' } });
    await waitFor(async () => (await desktop!.caller.liveInbox.counts()).all === 2, 'both conversations on the desktop');
    for (const visitor of visitors) handOff(visitor.conversationId);
    await waitFor(() => badge.current === 2, 'the badge at 2');

    await desktop.caller.liveInbox.takeOver({ conversationId: visitors[0]!.conversationId });
    await waitFor(() => badge.current === 1, 'the badge at 1 after a take-over');

    await core.lock('user');
    expect(badge.current).toBe(0);
    await core.unlock('Bakery', passphrase);
    await waitFor(() => badge.current === 1, 'the badge back at 1 after unlocking');
    // Only changes reach Electron: a burst of sync pages does not set the same number again and again.
    expect(badge.counts.filter((count, index) => count === badge.counts[index - 1])).toEqual([]);
    expect(badge.counts.slice(-3)).toEqual([1, 0, 1]);

    stop();
    expect(badge.current).toBe(0);
  });

  it('draws the count on the Windows taskbar overlay instead (no badge count there), and clears it while locked', async () => {
    desktop = await createDesktop('Bakery');
    const badge = fakeBadge();
    const overlays: { label: string | null; description: string }[] = [];
    const stop = attachAttentionBadge(desktop.core, badge, 'win32', { setOverlay: (image, description) => overlays.push({ label: image?.label ?? null, description }) });
    expect(overlays).toEqual([{ label: null, description: '' }]);
    const database = desktop.core.requireSession().database;
    const insert = database.prepare('insert into inbox_conversations (conversation_id, state, last_activity_at) values (?, ?, 1)');
    for (const id of ['a', 'b']) insert.run(id, JSON.stringify({ conversationId: id, status: 'needs_human', customerLabel: id }));
    desktop.sync().record({ eventId: randomUUID(), conversationId: 'c', occurredAt: Date.now(), body: { type: 'conversation.note', authorName: 'x', text: 'nudge the watcher' } });
    await waitFor(() => overlays.at(-1)?.label === '2', 'the overlay at 2');
    expect(overlays.at(-1)).toEqual({ label: '2', description: '2 conversations need a person' });
    await desktop.core.lock('user');
    expect(overlays.at(-1)).toEqual({ label: null, description: '' });
    stop();
    expect(badge.counts).toEqual([]);
  });
});
