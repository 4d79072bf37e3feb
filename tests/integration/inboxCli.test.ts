import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../../relay/testing/relayTestHarness.js';
import { startVisitor } from './relayTestSupport.js';

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
  dataDirectory = await mkdtemp(join(tmpdir(), 'ares-cli-inbox-'));
});
afterAll(async () => {
  await relay.stop();
  await rm(dataDirectory, { recursive: true, force: true });
});

// Each command starts tsx and unlocks with the production KDF: slow, so a generous timeout.
describe('the inbox commands of the ares CLI', { timeout: 240_000 }, () => {
  it('lists, takes over, notes, resolves, reopens and hands back through the same router as the app', async () => {
    await ares('tenant', 'create', '--name', 'Bakery');
    const registered = (await ares('relay', 'register', '--tenant', 'Bakery', '--url', relay.url, '--business', 'Bakery', '--owner', 'Olive Owner', '--email', 'olive@bakery.test')) as { widgetSnippet: string };
    const widgetKey = /data-ares-widget="([^"]+)"/.exec(registered.widgetSnippet)![1]!;
    const visitor = await startVisitor(relay.url, widgetKey);
    await visitor.send('Do you sell rye bread?');
    const page = (await ares('inbox', 'list', '--tenant', 'Bakery', '--search', 'rye')) as { total: number; rows: { conversationId: string; unread: number }[] };
    expect(page).toMatchObject({ total: 1, rows: [{ conversationId: visitor.conversationId, unread: 1 }] });
    const id = ['--tenant', 'Bakery', '--conversation', visitor.conversationId];
    expect(await ares('inbox', 'take-over', ...id)).toMatchObject({ state: { status: 'human', holder: 'Olive Owner' } });
    await ares('inbox', 'note', ...id, '--text', 'Regular customer');
    expect(await ares('inbox', 'resolve', ...id)).toMatchObject({ state: { status: 'resolved' } });
    expect(await ares('inbox', 'reopen', ...id)).toMatchObject({ state: { status: 'needs_human' } });
    expect(await ares('inbox', 'hand-back', ...id)).toMatchObject({ state: { status: 'ai' } });
    expect(await ares('inbox', 'list', '--tenant', 'Bakery', '--filter', 'resolved')).toMatchObject({ total: 0 });
    const texts = (await visitor.messages()).map((message) => message.text);
    expect(texts).toContain('You are talking to our automated assistant again. Ask me anything.');
    expect(texts).not.toContain('Regular customer');
  });
});
