import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { createRelayTestClient } from '../../relay/testing/relayTestHarness.js';
import { startRelayProcess, type RelayProcess } from '../e2e/relayProcess.js';
import { createDesktop, ownerAccount, waitFor, type Desktop } from './relayTestSupport.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const relays: RelayProcess[] = [];
const desktops: Desktop[] = [];
afterEach(async () => {
  await Promise.all(desktops.splice(0).map((desktop) => desktop.dispose()));
  for (const relay of relays.splice(0)) {
    await relay.stop();
    await rm(relay.dataDirectory, { recursive: true, force: true });
  }
});

async function startRelay(port?: number, dataDirectory?: string) {
  const relay = await startRelayProcess({ ...(port ? { port } : {}), ...(dataDirectory ? { dataDirectory } : {}), environment: { RELAY_RATE_LIMIT_SCALE: '0' } });
  relays.push(relay);
  return relay;
}

async function readLog(url: string, token: string) {
  const { client, close } = createRelayTestClient(url, token);
  const events: { seq: number; eventId: string }[] = [];
  try {
    const head = await client.sync.head.query();
    for (let after = 0; after < head.headSeq; ) {
      const page = await client.sync.pull.query({ cursor: { epoch: head.epoch, seq: after }, limit: 5000 });
      if (page.kind !== 'events') throw new Error('unexpected resync');
      events.push(...page.events);
      after = page.throughSeq;
    }
    return { head, events };
  } finally {
    await close();
  }
}

describe('sync across real processes killed with SIGKILL', () => {
  it('a relay killed mid-push and restarted ends with every outbox entry applied exactly once', async () => {
    let relay = await startRelay();
    const desktop = await createDesktop('Bakery');
    desktops.push(desktop);
    await desktop.caller.sync.register({ relayUrl: relay.url, ...ownerAccount });
    const token = desktop.sync().store.connection()!.deviceToken;
    const widgetKey = desktop.sync().store.connection()!.widgetKey;
    await fetch(`${relay.url}/widget/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ widgetKey }) });
    // A conversation to reply to.
    const visitor = (await (await fetch(`${relay.url}/widget/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ widgetKey }) })).json()) as {
      visitorToken: string;
      conversationId: string;
    };
    await fetch(`${relay.url}/widget/v1/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${visitor.visitorToken}` },
      body: JSON.stringify({ clientMessageId: crypto.randomUUID(), text: 'hello' }),
    });
    await waitFor(async () => (await desktop.caller.inbox.conversations()).length === 1, 'the conversation');

    const total = 3000;
    for (let index = 0; index < total; index += 1) desktop.sync().store.recordLocal({
      eventId: crypto.randomUUID(),
      conversationId: visitor.conversationId,
      occurredAt: Date.now(),
      body: { type: 'staff.message', messageId: `staff-${index}`, authorName: 'Olive Owner', text: `reply ${index}` },
    });
    desktop.sync().engine!.kick();
    await waitFor(() => desktop.sync().store.pendingCount() < total, 'the first acknowledged batch', 30_000);
    await relay.kill();
    const pendingAtKill = desktop.sync().store.pendingCount();
    expect(pendingAtKill).toBeGreaterThan(0);
    relay = await startRelay(relay.port, relay.dataDirectory);
    await waitFor(() => desktop.sync().store.pendingCount() === 0 && desktop.sync().engine!.status().state === 'online', 'the outbox to drain', 60_000);
    await desktop.caller.sync.syncNow();
    const { head, events } = await readLog(relay.url, token);
    expect(events.map((event) => event.seq)).toEqual(Array.from({ length: head.headSeq }, (_, index) => index + 1));
    expect(new Set(events.map((event) => event.eventId)).size).toBe(events.length);
    expect(events.length).toBe(total + 1);
    const applied = desktop.sync().store.database.prepare("select count(*) as count from sync_events where local = 1 and state = 'applied'").get() as { count: number };
    expect(applied.count).toBe(total);
  });

  it('a desktop core killed mid-apply resumes and two desktops converge', async () => {
    const relay = await startRelay();
    const writer = await createDesktop('Bakery');
    desktops.push(writer);
    await writer.caller.sync.register({ relayUrl: relay.url, ...ownerAccount });
    const widgetKey = writer.sync().store.connection()!.widgetKey;
    const visitor = (await (await fetch(`${relay.url}/widget/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ widgetKey }) })).json()) as {
      visitorToken: string;
      conversationId: string;
    };
    await fetch(`${relay.url}/widget/v1/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${visitor.visitorToken}` },
      body: JSON.stringify({ clientMessageId: crypto.randomUUID(), text: 'hello' }),
    });
    await waitFor(async () => (await writer.caller.inbox.conversations()).length === 1, 'the conversation');
    for (let index = 0; index < 8000; index += 1) writer.sync().store.recordLocal({
      eventId: crypto.randomUUID(),
      conversationId: visitor.conversationId,
      occurredAt: Date.now(),
      body: { type: 'conversation.note', authorName: 'Olive Owner', text: `note ${index}` },
    });
    await writer.caller.sync.syncNow();
    expect(writer.sync().store.pendingCount()).toBe(0);

    const dataDirectory = await mkdtemp(join(tmpdir(), 'ares-desktop-process-'));
    const run = (mode: string[]) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'tests/integration/fixtures/desktopSyncProcess.ts', dataDirectory, 'Bakery', ...mode], { stdio: ['ignore', 'pipe', 'pipe'] });
      let latest = { cursor: 0, pending: 0 };
      let errors = '';
      child.stdout.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString().trim().split('\n')) {
          try {
            latest = JSON.parse(line) as typeof latest;
          } catch {
            // partial line
          }
        }
      });
      child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
      return { child, latest: () => latest, errors: () => errors, exited: new Promise((resolve) => child.once('exit', resolve)) };
    };
    try {
      const first = run(['create', relay.url, ownerAccount.email, ownerAccount.password]);
      await waitFor(() => first.latest().cursor > 0, `the second desktop to start applying ${first.errors()}`, 60_000);
      first.child.kill('SIGKILL');
      await first.exited;
      const stoppedAt = first.latest().cursor;
      expect(stoppedAt).toBeLessThan(8001);
      const second = run(['unlock']);
      await waitFor(() => second.latest().cursor === 8001, `catch-up after the crash ${second.errors()}`, 60_000);
      second.child.kill('SIGTERM');
      await second.exited;
      const reopened = await createDesktop('Bakery', dataDirectory);
      try {
        const database = reopened.core.requireSession().database;
        const rows = database.prepare('select count(*) as count, count(distinct event_id) as distinctCount from inbox_messages').get() as { count: number; distinctCount: number };
        expect(rows).toEqual({ count: 8001, distinctCount: 8001 });
        const writerState = writer.sync().store.database.prepare('select state from inbox_conversations').all();
        expect(database.prepare('select state from inbox_conversations').all()).toEqual(writerState);
      } finally {
        await reopened.core.dispose();
      }
    } finally {
      await rm(dataDirectory, { recursive: true, force: true });
    }
  });
});
