import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../../relay/testing/relayTestHarness.js';

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
  dataDirectory = await mkdtemp(join(tmpdir(), 'ares-cli-relay-privacy-'));
});
afterAll(async () => {
  await relay.stop();
  await rm(dataDirectory, { recursive: true, force: true });
});

// Each command unlocks the tenant with the production KDF and starts tsx: slow, so generous timeouts.
describe('the relay privacy commands of the ares CLI', { timeout: 240_000 }, () => {
  it('sets relay retention, closes the account with a grace period and cancels it, with --json', async () => {
    await ares('tenant', 'create', '--name', 'Bakery');
    await ares('relay', 'register', '--tenant', 'Bakery', '--url', relay.url, '--business', 'Bakery', '--owner', 'Olive Owner', '--email', 'olive@bakery.test');
    expect(await ares('relay', 'retention', '--tenant', 'Bakery', '--conversation-days', '30', '--collected-days', '7')).toMatchObject({
      rules: { conversationDays: 30, collectedEventDays: 7 },
      lastRun: { conversations: 0 },
    });
    const closing = (await ares('relay', 'close-account', '--tenant', 'Bakery', '--grace-days', '5', '--confirm', 'CLOSE')) as { state: string; deleteAt: number };
    expect(closing.state).toBe('closing');
    expect(closing.deleteAt - Date.now()).toBeGreaterThan(4.9 * 24 * 3600 * 1000);
    expect(await ares('relay', 'account', '--tenant', 'Bakery')).toMatchObject({ connected: true, role: 'owner', closure: { state: 'closing' } });
    expect(await ares('relay', 'cancel-close', '--tenant', 'Bakery')).toMatchObject({ state: 'open' });
    const refused = await run(process.execPath, ['bin/ares.mjs', '--data-dir', dataDirectory, 'relay', 'close-account', '--tenant', 'Bakery', '--grace-days', '31', '--confirm', 'CLOSE'], {
      env: environment,
    }).catch((error: { code: number; stderr: string }) => error);
    expect(refused).toMatchObject({ code: 1 });
    expect((refused as { stderr: string }).stderr).toMatch(/at most 30 days/);
  });
});
