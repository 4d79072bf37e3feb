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
const baseEnvironment = { ...process.env, ARES_PASSPHRASE: 'correct horse battery staple', ARES_RELAY_PASSWORD: 'a long enough password' };

async function ares(environment: NodeJS.ProcessEnv, ...args: string[]): Promise<unknown> {
  const { stdout } = await run(process.execPath, ['bin/ares.mjs', '--data-dir', dataDirectory, '--json', ...args], { env: environment });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

beforeAll(async () => {
  relay = await startTestRelay({ rateLimitScale: 0 });
  dataDirectory = await mkdtemp(join(tmpdir(), 'ares-cli-team-'));
});
afterAll(async () => {
  await relay.stop();
  await rm(dataDirectory, { recursive: true, force: true });
});

// Each command unlocks the tenant with the production KDF and starts tsx: slow, so generous timeouts.
describe('the team commands of the ares CLI', { timeout: 300_000 }, () => {
  it('invites, joins with the code, lists staff and devices, sets the automatic reply, revokes a device, removes a staff member, and reports FORBIDDEN for an agent', async () => {
    const owner = baseEnvironment;
    await ares(owner, 'tenant', 'create', '--name', 'Bakery');
    await ares(owner, 'relay', 'register', '--tenant', 'Bakery', '--url', relay.url, '--business', 'Bakery', '--owner', 'Olive Owner', '--email', 'olive@bakery.test');

    const invitation = (await ares(owner, 'relay', 'invite', '--tenant', 'Bakery', '--email', 'ann@bakery.test', '--role', 'agent')) as { inviteCode: string; role: string };
    expect(invitation).toMatchObject({ role: 'agent', inviteCode: expect.stringMatching(/^inv_/) });

    await ares(owner, 'tenant', 'create', '--name', 'Ann');
    const ann = { ...baseEnvironment, ARES_RELAY_PASSWORD: 'another long password', ARES_RELAY_INVITE_CODE: invitation.inviteCode };
    expect(await ares(ann, 'relay', 'accept-invitation', '--tenant', 'Ann', '--url', relay.url, '--name', 'Ann Agent', '--device-name', 'Ann laptop')).toMatchObject({
      connected: true,
      role: 'agent',
      operatorName: 'Ann Agent',
    });

    const staff = (await ares(owner, 'relay', 'staff', '--tenant', 'Bakery')) as { name: string; role: string }[];
    expect(staff.map((member) => `${member.name}:${member.role}`).sort()).toEqual(['Ann Agent:agent', 'Olive Owner:owner']);

    expect(await ares(owner, 'relay', 'auto-reply', '--tenant', 'Bakery', '--on', '--after', '120', '--text', 'Back within the hour!')).toEqual({ enabled: true, delaySeconds: 120, text: 'Back within the hour!' });
    expect(await ares(ann, 'relay', 'auto-reply', '--tenant', 'Ann')).toEqual({ enabled: true, delaySeconds: 120, text: 'Back within the hour!' });

    const forbidden = await run(process.execPath, ['bin/ares.mjs', '--data-dir', dataDirectory, '--json', 'relay', 'invite', '--tenant', 'Ann', '--email', 'eve@bakery.test'], { env: ann }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(forbidden).toMatchObject({ code: 1 });
    expect(JSON.parse((forbidden as { stderr: string }).stderr.trim())).toEqual({ error: { code: 'FORBIDDEN', message: 'Only owners and admins can do this.' } });

    const devices = (await ares(owner, 'relay', 'devices', '--tenant', 'Bakery')) as { deviceId: string; name: string; revoked: boolean }[];
    const annDevice = devices.find((device) => device.name === 'Ann laptop')!;
    expect(await ares(owner, 'relay', 'revoke-device', '--tenant', 'Bakery', '--device', annDevice.deviceId)).toEqual({ deviceId: annDevice.deviceId, revoked: true });
    expect(((await ares(owner, 'relay', 'devices', '--tenant', 'Bakery')) as { deviceId: string; revoked: boolean }[]).find((device) => device.deviceId === annDevice.deviceId)!.revoked).toBe(true);

    expect(await ares(owner, 'relay', 'remove-staff', '--tenant', 'Bakery', '--member', 'Ann@bakery.test')).toMatchObject({ email: 'ann@bakery.test', removed: true, devicesRevoked: 0 });
    expect(((await ares(owner, 'relay', 'staff', '--tenant', 'Bakery')) as { email: string }[]).map((member) => member.email)).toEqual(['olive@bakery.test']);
  });
});
