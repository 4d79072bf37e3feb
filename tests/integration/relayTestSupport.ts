import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AresCore } from '../../electron/core/aresCore.js';
import { createCoreCaller } from '../../electron/core/appRouter.js';
import { syncServiceFor } from '../../electron/sync/index.js';

export const passphrase = 'correct horse battery staple';
export const ownerAccount = { businessName: 'Bakery', ownerName: 'Olive Owner', email: 'olive@bakery.test', password: 'a long enough password' };

export async function waitFor<T>(probe: () => T | Promise<T>, description: string, timeoutMilliseconds = 15_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMilliseconds;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Timed out waiting for ${description}${last ? `: ${String(last)}` : ''}`);
}

export interface Desktop {
  core: AresCore;
  caller: ReturnType<typeof createCoreCaller>;
  directory: string;
  sync(): ReturnType<typeof syncServiceFor>;
  dispose(): Promise<void>;
}

/** A real desktop core with a fresh encrypted tenant (cheap KDF), as the app and CLI run it. */
export async function createDesktop(name: string, directory?: string): Promise<Desktop> {
  const dataDirectory = directory ?? (await mkdtemp(join(tmpdir(), 'ares-desktop-')));
  const core = new AresCore({ dataDirectory, kdfParameters: { N: 2 ** 14, r: 8, p: 1 } });
  if (directory) await core.unlock(name, passphrase);
  else await core.createTenant(name, passphrase);
  const caller = createCoreCaller({ core });
  return {
    core,
    caller,
    directory: dataDirectory,
    sync: () => syncServiceFor(core.requireSession()),
    async dispose() {
      await core.dispose();
      if (!directory) await rm(dataDirectory, { recursive: true, force: true });
    },
  };
}

/** A web-widget visitor talking to the relay over plain HTTP, as the chat frame does. */
export async function startVisitor(relayUrl: string, widgetKey: string) {
  const session = (await (
    await fetch(`${relayUrl}/widget/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ widgetKey }) })
  ).json()) as { visitorToken: string; conversationId: string };
  const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${session.visitorToken}` };
  return {
    ...session,
    async send(text: string, clientMessageId = crypto.randomUUID()) {
      const response = await fetch(`${relayUrl}/widget/v1/messages`, { method: 'POST', headers, body: JSON.stringify({ clientMessageId, text }) });
      return { status: response.status, body: (await response.json()) as { duplicate?: boolean; messageId?: string } };
    },
    async messages() {
      const response = await fetch(`${relayUrl}/widget/v1/messages?after=0`, { headers });
      return ((await response.json()) as { messages: { from: string; text: string }[] }).messages;
    },
  };
}
