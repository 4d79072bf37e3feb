import { rm } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newerRelayStatus, type RelayStatus } from '../../shared/schemas/relaySync.js';
import { startRelayProcess, type RelayProcess } from '../../tests/e2e/relayProcess.js';
import { createDesktop, ownerAccount, waitFor, type Desktop } from '../../tests/integration/relayTestSupport.js';

/** A real relay process (the desktop never imports relay code), and a real desktop core. */
let relay: RelayProcess;
let desktop: Desktop;

beforeEach(async () => {
  [relay, desktop] = await Promise.all([startRelayProcess(), createDesktop('Bakery')]);
}, 40_000);
afterEach(async () => {
  await desktop.dispose();
  await relay.stop();
  await rm(relay.dataDirectory, { recursive: true, force: true });
});

/** Every state in which sync is not working must say why: "Offline" alone tells the user nothing. */
function explainsItself(status: RelayStatus): boolean {
  if (!status.connected || status.sync.state === 'online' || status.sync.state === 'syncing') return true;
  return Boolean(status.sync.lastError?.trim());
}

/** What the screen shows after the statuses arrived in this order (it keeps the newest revision). */
function shown(arrivals: RelayStatus[]): RelayStatus | undefined {
  return arrivals.reduce<RelayStatus | undefined>((current, next) => newerRelayStatus(current, next), undefined);
}

/** Every status the live stream (sync.onStatus) sends, in order. */
function recordLiveStatuses(): RelayStatus[] {
  const service = desktop.sync();
  const live: RelayStatus[] = [];
  service.onChange(() => live.push(service.status()));
  return live;
}

/** A loopback TCP proxy in front of the relay that counts the bytes the desktop sends it. */
async function startCountingProxy(target: number): Promise<{ url: string; bytesSent: () => number; server: Server }> {
  let bytes = 0;
  const server = createServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    client.on('data', (chunk: Buffer) => (bytes += chunk.length));
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, bytesSent: () => bytes, server };
}

describe('the sync status a desktop shows', () => {
  it('is never hidden by the late answer to connecting, over 15 connects to a real relay', async () => {
    const live = recordLiveStatuses();
    const service = desktop.sync();
    for (let attempt = 0; attempt < 15; attempt += 1) {
      live.length = 0;
      const answer =
        attempt === 0
          ? await desktop.caller.sync.register({ relayUrl: relay.url, ...ownerAccount })
          : await desktop.caller.sync.connect({ relayUrl: relay.url, email: ownerAccount.email, password: ownerAccount.password });
      await waitFor(() => service.status().connected && (service.status() as Extract<RelayStatus, { connected: true }>).sync.state === 'online', 'sync online');
      // The answer travels over HTTP, the live statuses over a WebSocket: the answer may arrive last.
      expect(shown([...live, answer])).toMatchObject({ connected: true, sync: { state: 'online', lastError: null } });
      expect(shown([answer, ...live])).toMatchObject({ connected: true, sync: { state: 'online', lastError: null } });
      expect(answer).toMatchObject({ connected: true, sync: { state: 'syncing' } });
      expect([answer, ...live].filter((status) => !explainsItself(status))).toEqual([]);
      await desktop.caller.sync.disconnect();
    }
  }, 60_000);

  it('says why it is offline while the relay is down, and goes online again when it is back', async () => {
    await desktop.caller.sync.register({ relayUrl: relay.url, ...ownerAccount });
    const service = desktop.sync();
    await waitFor(() => service.engine?.status().state === 'online', 'sync online');
    const live = recordLiveStatuses();
    await relay.kill();
    await waitFor(() => service.engine?.status().state === 'offline', 'sync offline');
    relay = await startRelayProcess({ port: relay.port, dataDirectory: relay.dataDirectory });
    await waitFor(() => service.engine?.status().state === 'online', 'sync online again', 30_000);
    expect(live.some((status) => status.connected && status.sync.state === 'offline')).toBe(true);
    expect(live.filter((status) => !explainsItself(status))).toEqual([]);
  }, 60_000);

  it('stops retrying once the relay closed the account, says so, and can be disconnected', async () => {
    const proxy = await startCountingProxy(relay.port);
    try {
      await desktop.caller.sync.register({ relayUrl: proxy.url, ...ownerAccount });
      const service = desktop.sync();
      await waitFor(() => service.engine?.status().state === 'online', 'sync online');
      await desktop.caller.portability.relay.closeAccount({ graceDays: 0, confirm: 'CLOSE' });

      await expect(desktop.caller.sync.syncNow()).rejects.toThrow(/closed on the relay/);
      const status = await desktop.caller.sync.status();
      expect(status).toMatchObject({ connected: true, sync: { state: 'accountClosed', lastError: expect.stringMatching(/closed on the relay/) } });

      // A retrying engine would have tried at 0.25, 0.5, 1 and 2 s, and the WebSocket reconnects on its own.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const bytesBefore = proxy.bytesSent();
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      expect(proxy.bytesSent()).toBe(bytesBefore);
      await expect(desktop.caller.sync.syncNow()).rejects.toThrow(/closed on the relay/);
      expect(proxy.bytesSent()).toBe(bytesBefore);

      expect(await desktop.caller.sync.disconnect()).toMatchObject({ connected: false });
    } finally {
      proxy.server.close();
    }
  }, 60_000);
});
