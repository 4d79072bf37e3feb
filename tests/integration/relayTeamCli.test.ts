import { describe, expect, it } from 'vitest';
import { ownerEnvironment, useCliWithRelay } from './aresCli.js';

const cli = useCliWithRelay('team', { rateLimitScale: 0 });
const ares = cli.aresWith;

// Each command unlocks the tenant with the production KDF and starts tsx: slow, so generous timeouts.
describe('the team commands of the ares CLI', { timeout: 300_000 }, () => {
  it('invites, joins with the code, lists staff and devices, sets the automatic reply, revokes a device, removes a staff member, and reports FORBIDDEN for an agent', async () => {
    const owner = ownerEnvironment;
    await ares(owner, 'tenant', 'create', '--name', 'Bakery');
    await ares(owner, 'relay', 'register', '--tenant', 'Bakery', '--url', cli.relay.url, '--business', 'Bakery', '--owner', 'Olive Owner', '--email', 'olive@bakery.test');

    const invitation = (await ares(owner, 'relay', 'invite', '--tenant', 'Bakery', '--email', 'ann@bakery.test', '--role', 'agent')) as { inviteCode: string; role: string };
    expect(invitation).toMatchObject({ role: 'agent', inviteCode: expect.stringMatching(/^inv_/) });

    await ares(owner, 'tenant', 'create', '--name', 'Ann');
    const ann = { ...ownerEnvironment, ARES_RELAY_PASSWORD: 'another long password', ARES_RELAY_INVITE_CODE: invitation.inviteCode };
    expect(await ares(ann, 'relay', 'accept-invitation', '--tenant', 'Ann', '--url', cli.relay.url, '--name', 'Ann Agent', '--device-name', 'Ann laptop')).toMatchObject({
      connected: true,
      role: 'agent',
      operatorName: 'Ann Agent',
    });

    const staff = (await ares(owner, 'relay', 'staff', '--tenant', 'Bakery')) as { name: string; role: string }[];
    expect(staff.map((member) => `${member.name}:${member.role}`).sort()).toEqual(['Ann Agent:agent', 'Olive Owner:owner']);

    expect(await ares(owner, 'relay', 'auto-reply', '--tenant', 'Bakery', '--on', '--after', '120', '--text', 'Back within the hour!')).toEqual({ enabled: true, delaySeconds: 120, text: 'Back within the hour!' });
    expect(await ares(ann, 'relay', 'auto-reply', '--tenant', 'Ann')).toEqual({ enabled: true, delaySeconds: 120, text: 'Back within the hour!' });

    const forbidden = await cli.failing(['--json', 'relay', 'invite', '--tenant', 'Ann', '--email', 'eve@bakery.test'], ann);
    expect(forbidden).toMatchObject({ code: 1 });
    expect(JSON.parse(forbidden.stderr.trim())).toEqual({ error: { code: 'FORBIDDEN', message: 'Only owners and admins can do this.' } });

    const devices = (await ares(owner, 'relay', 'devices', '--tenant', 'Bakery')) as { deviceId: string; name: string; revoked: boolean }[];
    const annDevice = devices.find((device) => device.name === 'Ann laptop')!;
    expect(await ares(owner, 'relay', 'revoke-device', '--tenant', 'Bakery', '--device', annDevice.deviceId)).toEqual({ deviceId: annDevice.deviceId, revoked: true });
    expect(((await ares(owner, 'relay', 'devices', '--tenant', 'Bakery')) as { deviceId: string; revoked: boolean }[]).find((device) => device.deviceId === annDevice.deviceId)!.revoked).toBe(true);

    expect(await ares(owner, 'relay', 'remove-staff', '--tenant', 'Bakery', '--member', 'Ann@bakery.test')).toMatchObject({ email: 'ann@bakery.test', removed: true, devicesRevoked: 0 });
    expect(((await ares(owner, 'relay', 'staff', '--tenant', 'Bakery')) as { email: string }[]).map((member) => member.email)).toEqual(['olive@bakery.test']);
  });
});
