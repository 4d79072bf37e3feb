import { createTRPCClient } from '@trpc/client';
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppRouter } from '../../electron/core/appRouter.js';
import { AresCore } from '../../electron/core/aresCore.js';
import { createIpcServer } from '../../electron/shell/ipcServer.js';
import { strongPassphrase, temporaryDirectory, testKdfParameters } from '../../electron/vault/testSupport.js';
import type { AresIpcBridge, IpcResponse } from '../../shared/ipcBridge.js';
import { ipcLink } from '../../shared/ipcLink.js';

/**
 * The Electron transport without Electron: the renderer's real link and the main process's real
 * handler, joined by an in-memory pipe shaped like ipcRenderer/ipcMain events.
 */
function connect(core: AresCore, options: { trusted: boolean }) {
  const responses = new EventEmitter();
  const sender = {
    isDestroyed: () => false,
    send: (_channel: string, response: IpcResponse) => setImmediate(() => responses.emit('response', response)),
    once: () => sender,
  };
  const server = createIpcServer({ core, isTrustedSender: () => options.trusted });
  const bridge: AresIpcBridge = {
    send: (request) => setImmediate(() => server.handle({ sender } as never, request)),
    onResponse: (listener) => {
      responses.on('response', listener);
      return () => responses.off('response', listener);
    },
  };
  return { client: createTRPCClient<AppRouter>({ links: [ipcLink<AppRouter>(bridge)] }), server, bridge, responses };
}

describe('the Electron IPC transport', () => {
  let directory: Awaited<ReturnType<typeof temporaryDirectory>>;
  let core: AresCore;
  beforeEach(async () => {
    directory = await temporaryDirectory();
    core = new AresCore({ dataDirectory: directory.path, kdfParameters: testKdfParameters });
  });
  afterEach(async () => {
    await core.dispose();
    await directory.remove();
  });

  it('carries queries and mutations to the router', async () => {
    const { client } = connect(core, { trusted: true });
    expect(await client.vault.listTenants.query()).toEqual([]);
    const state = await client.vault.createTenant.mutate({ name: 'Acme Bikes', passphrase: strongPassphrase });
    expect(state).toMatchObject({ unlocked: true, tenantName: 'Acme Bikes' });
  });

  it('delivers readable errors with their code', async () => {
    const { client } = connect(core, { trusted: true });
    await client.vault.createTenant.mutate({ name: 'Acme Bikes', passphrase: strongPassphrase });
    await client.vault.lock.mutate();
    const error = await client.vault.unlock.mutate({ name: 'Acme Bikes', passphrase: 'wrong words entirely' }).catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(/passphrase is not correct/);
    expect((error as { data: { aresCode: string } }).data.aresCode).toBe('WRONG_PASSPHRASE');
  });

  it('streams subscription events and stops when unsubscribed', async () => {
    const { client } = connect(core, { trusted: true });
    const reasons: string[] = [];
    const subscription = client.vault.onStateChange.subscribe(undefined, { onData: (change) => reasons.push(change.reason) });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await client.vault.createTenant.mutate({ name: 'Acme Bikes', passphrase: strongPassphrase });
    await client.vault.lock.mutate();
    await expect.poll(() => reasons).toEqual(['unlocked', 'user']);
    subscription.unsubscribe();
    await client.vault.unlock.mutate({ name: 'Acme Bikes', passphrase: strongPassphrase });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(reasons).toEqual(['unlocked', 'user']);
  });

  it('ignores messages from an untrusted frame and malformed messages', async () => {
    const { server, responses } = connect(core, { trusted: false });
    const seen: unknown[] = [];
    responses.on('response', (response) => seen.push(response));
    const sender = { isDestroyed: () => false, send: (_c: string, r: unknown) => seen.push(r), once: () => sender };
    server.handle({ sender } as never, { id: 1, type: 'query', path: 'vault.listTenants' });
    const trusted = createIpcServer({ core, isTrustedSender: () => true });
    trusted.handle({ sender } as never, { id: 2, type: 'query', path: '../../etc' });
    trusted.handle({ sender } as never, 'not an object');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen).toEqual([]);
  });
});
