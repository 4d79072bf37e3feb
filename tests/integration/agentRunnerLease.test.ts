import { createServer, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../../relay/testing/relayTestHarness.js';
import { createDesktop, ownerAccount, waitFor, type Desktop } from './relayTestSupport.js';
import { agentRunnerFor } from '../../electron/agentRunner/index.js';

/**
 * Two desktops of one tenant against a real relay. The lease is long (60 s) so that only an
 * explicit release, never expiry, can explain the other desktop getting it within the test.
 */
let relay: TestRelay;
let first: Desktop;
let second: Desktop;

function startRunner(desktop: Desktop) {
  return agentRunnerFor(desktop.core.requireSession(), desktop.core.vault.dataDirectory, { leaseSeconds: 60 });
}

async function leaseAtRelay(desktop: Desktop) {
  return relay.client(desktop.sync().store.connection()!.deviceToken).sync.lease.query();
}

beforeEach(async () => {
  relay = await startTestRelay();
  first = await createDesktop('Bakery first desk');
  second = await createDesktop('Bakery second desk');
  await first.caller.sync.register({ relayUrl: relay.url, ...ownerAccount });
  await second.caller.sync.connect({ relayUrl: relay.url, email: ownerAccount.email, password: ownerAccount.password });
  startRunner(first);
  await waitFor(async () => (await first.caller.liveInbox.agentRunner())?.holdsLease, 'the first desktop holding the lease');
}, 30_000);

afterEach(async () => {
  await Promise.all([first?.dispose(), second?.dispose()]);
  await relay?.stop();
});

describe('the agent-runner lease on lock, quit and disconnect', () => {
  it('is given back to the relay when the tenant is locked, so a desktop on standby takes over the AI within seconds', async () => {
    const holder = first.sync().store.connection()!.deviceId;
    const standby = startRunner(second);
    await waitFor(() => standby.status().leaseHolderDeviceId === holder, 'the second desktop on standby');
    expect(standby.status().holdsLease).toBe(false);
    await first.core.lock();
    expect(await leaseAtRelay(second)).toMatchObject({ held: false, holderDeviceId: null });
    // The lease is 60 s: only the release and the standby retry (5 s) explain a take-over this soon.
    await waitFor(() => standby.status().holdsLease, 'the second desktop holding the lease', 7_000);
  }, 30_000);

  it('is given back when the app quits (the core is disposed)', async () => {
    await first.core.dispose();
    expect(await leaseAtRelay(second)).toMatchObject({ held: false });
  }, 30_000);

  it('is given back when the desktop disconnects from the relay', async () => {
    await first.caller.sync.disconnect();
    expect(await leaseAtRelay(second)).toMatchObject({ held: false });
    expect((await first.caller.liveInbox.agentRunner())?.holdsLease).toBe(false);
  }, 30_000);

  it('does not hold up locking for long when the relay accepts connections but never answers', async () => {
    const port = Number(new URL(relay.url).port);
    await relay.stop();
    // A black hole on the relay's port: requests hang, which a refused connection would not show.
    const sockets: Socket[] = [];
    const blackHole = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => blackHole.listen(port, '127.0.0.1', resolve));
    try {
      const started = Date.now();
      await first.core.lock();
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => blackHole.close(resolve));
      relay = await startTestRelay();
    }
  }, 30_000);
});
