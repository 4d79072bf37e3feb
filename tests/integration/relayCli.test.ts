import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../../relay/testing/relayTestHarness.js';
import { startVisitor, waitFor } from './relayTestSupport.js';

const run = promisify(execFile);
let relay: TestRelay;
let dataDirectory: string;
const environment = { ...process.env, ARES_PASSPHRASE: 'correct horse battery staple', ARES_RELAY_PASSWORD: 'a long enough password' };

async function ares(...args: string[]): Promise<unknown> {
  const { stdout } = await run(process.execPath, ['bin/ares.mjs', '--data-dir', dataDirectory, '--json', ...args], { env: environment });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

beforeAll(async () => {
  relay = await startTestRelay();
  dataDirectory = await mkdtemp(join(tmpdir(), 'ares-cli-relay-'));
});
afterAll(async () => {
  await relay.stop();
  await rm(dataDirectory, { recursive: true, force: true });
});

// Each command unlocks the tenant with the production KDF and starts tsx: slow, so generous timeouts.
describe('the sync commands of the ares CLI', { timeout: 240_000 }, () => {
  it('registers at a relay, lists a visitor conversation, replies, shows status and disconnects', async () => {
    await ares('tenant', 'create', '--name', 'Bakery');
    const registered = (await ares('relay', 'register', '--tenant', 'Bakery', '--url', relay.url, '--business', 'Bakery', '--owner', 'Olive Owner', '--email', 'olive@bakery.test')) as {
      connected: boolean;
      widgetSnippet: string;
      sync: { state: string };
    };
    expect(registered.connected).toBe(true);
    expect(registered.sync.state).toBe('online');
    const widgetKey = /data-ares-widget="([^"]+)"/.exec(registered.widgetSnippet)![1]!;
    const visitor = await startVisitor(relay.url, widgetKey);
    await visitor.send('Are you open on Sunday?');
    const conversations = (await ares('conversations', 'list', '--tenant', 'Bakery')) as { conversationId: string; lastMessagePreview: string }[];
    expect(conversations).toEqual([expect.objectContaining({ conversationId: visitor.conversationId, lastMessagePreview: 'Are you open on Sunday?' })]);
    const reply = (await ares('reply', '--tenant', 'Bakery', '--conversation', visitor.conversationId, '--text', 'Yes, 8 to 12.')) as { pendingOutbox: number };
    expect(reply.pendingOutbox).toBe(0);
    await waitFor(async () => (await visitor.messages()).some((message) => message.text === 'Yes, 8 to 12.'), 'the reply at the visitor');
    const status = (await ares('relay', 'status', '--tenant', 'Bakery')) as { connected: boolean; sync: { pendingOutbox: number; cursor: { seq: number } } };
    expect(status).toMatchObject({ connected: true, sync: { pendingOutbox: 0, cursor: { seq: 2 } } });
    expect(await ares('relay', 'disconnect', '--tenant', 'Bakery')).toMatchObject({ connected: false });
  });

  it('prints a readable error and exits non-zero for an insecure relay address', async () => {
    await ares('tenant', 'create', '--name', 'Shop');
    const failure = await run(process.execPath, ['bin/ares.mjs', '--data-dir', dataDirectory, 'relay', 'connect', '--tenant', 'Shop', '--url', 'http://relay.example.com', '--email', 'a@b.test'], {
      env: environment,
    }).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toMatch(/^ares: The relay address must use HTTPS .*\(RELAY_URL_INSECURE\)\n$/);
  });
});
