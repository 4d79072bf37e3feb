import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../../relay/testing/relayTestHarness.js';
import { createDesktop, ownerAccount, waitFor, type Desktop } from './relayTestSupport.js';

/**
 * Team management from the desktop (the `relayTeam` procedures) against a real relay on a socket:
 * the owner invites, the invited person joins from their own desktop, devices are listed and
 * revoked, the automatic reply is configured, and an agent is told what their role does not allow.
 */
let relay: TestRelay;
let owner: Desktop;
let ann: Desktop;
const annPassword = 'another long password';

beforeAll(async () => {
  relay = await startTestRelay({ rateLimitScale: 0 });
  owner = await createDesktop('Bakery');
  await owner.caller.sync.register({ relayUrl: relay.url, ...ownerAccount, deviceName: 'Front desk' });
}, 60_000);

afterAll(async () => {
  await Promise.all([owner?.dispose(), ann?.dispose()]);
  await relay?.stop();
});

const errorOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return { code: ((error as { cause?: { code?: string } }).cause?.code ?? '') as string, message: (error as Error).message };
  }
  throw new Error('expected a failure');
};

describe('team management from the desktop', () => {
  it('says to connect first when the tenant has no relay', async () => {
    const lonely = await createDesktop('Lonely');
    try {
      expect(await errorOf(lonely.caller.relayTeam.staff())).toMatchObject({ code: 'RELAY_UNREACHABLE', message: expect.stringMatching(/Connect this tenant to a relay first/) });
    } finally {
      await lonely.dispose();
    }
  });

  it('invites a staff member who joins from their own desktop with the one-time code, listed with their role and device', async () => {
    const invitation = await owner.caller.relayTeam.invite({ email: 'Ann@Bakery.test', role: 'agent' });
    expect(invitation).toMatchObject({ email: 'ann@bakery.test', role: 'agent', expiresInDays: 7 });
    expect(invitation.inviteCode).toMatch(/^inv_/);
    expect((await owner.caller.relayTeam.staff()).find((member) => member.email === 'ann@bakery.test')).toMatchObject({ role: 'agent', invitationPending: true });

    ann = await createDesktop('Bakery on Ann laptop');
    const status = await ann.caller.relayTeam.acceptInvitation({ relayUrl: relay.url, inviteCode: invitation.inviteCode, name: 'Ann Agent', password: annPassword, deviceName: 'Ann laptop' });
    expect(status).toMatchObject({ connected: true, operatorName: 'Ann Agent', role: 'agent', tenantName: 'Bakery' });
    await waitFor(async () => {
      const current = await ann.caller.sync.status();
      return current.connected && current.sync.state === 'online';
    }, 'Ann desktop online');
    // The code works once.
    const again = await createDesktop('Someone else');
    try {
      expect((await errorOf(again.caller.relayTeam.acceptInvitation({ relayUrl: relay.url, inviteCode: invitation.inviteCode, name: 'Eve', password: annPassword }))).code).toBe('UNAUTHORIZED');
    } finally {
      await again.dispose();
    }

    const staff = await owner.caller.relayTeam.staff();
    expect(staff.map((member) => [member.name, member.role, member.invitationPending]).sort()).toEqual([
      ['Ann Agent', 'agent', false],
      ['Olive Owner', 'owner', false],
    ]);
    const devices = await owner.caller.relayTeam.devices();
    expect(devices.map((device) => [device.name, device.current, device.revoked]).sort()).toEqual([
      ['Ann laptop', false, false],
      ['Front desk', true, false],
    ]);
  });

  it('tells an agent what the role does not allow, and shows agents only their own devices', async () => {
    expect(await errorOf(ann.caller.relayTeam.invite({ email: 'bob@bakery.test', role: 'agent' }))).toEqual({ code: 'FORBIDDEN', message: 'Only owners and admins can do this.' });
    expect((await errorOf(ann.caller.relayTeam.updateAutoReply({ enabled: true, delaySeconds: 60, text: 'Back soon' }))).code).toBe('FORBIDDEN');
    const ownerDevice = (await owner.caller.relayTeam.devices()).find((device) => device.current)!;
    expect((await ann.caller.relayTeam.devices()).map((device) => device.name)).toEqual(['Ann laptop']);
    expect((await errorOf(ann.caller.relayTeam.revokeDevice({ deviceId: ownerDevice.deviceId }))).code).toMatch(/FORBIDDEN|NOT_FOUND/);
  });

  it('configures the automatic "we\'ll get back to you" reply, and turns it off again', async () => {
    expect(await owner.caller.relayTeam.autoReply()).toMatchObject({ enabled: false, delaySeconds: 300 });
    await owner.caller.relayTeam.updateAutoReply({ enabled: true, delaySeconds: 90, text: 'Thanks! A person will answer within the hour.' });
    expect(await owner.caller.relayTeam.autoReply()).toEqual({ enabled: true, delaySeconds: 90, text: 'Thanks! A person will answer within the hour.' });
    // Every device of the tenant sees the same settings: they live at the relay.
    expect(await ann.caller.relayTeam.autoReply()).toEqual({ enabled: true, delaySeconds: 90, text: 'Thanks! A person will answer within the hour.' });
    await owner.caller.relayTeam.updateAutoReply({ enabled: false, delaySeconds: 90, text: 'Thanks! A person will answer within the hour.' });
    expect((await owner.caller.relayTeam.autoReply()).enabled).toBe(false);
    expect((await errorOf(owner.caller.relayTeam.updateAutoReply({ enabled: true, delaySeconds: 2, text: 'x' }))).message).toMatch(/Wait at least 10 seconds/);
  });

  it('revokes another device, which stops its sync at once, and refuses to revoke the device in use', async () => {
    const devices = await owner.caller.relayTeam.devices();
    const current = devices.find((device) => device.current)!;
    expect((await errorOf(owner.caller.relayTeam.revokeDevice({ deviceId: current.deviceId }))).message).toMatch(/Use Disconnect/);

    const annDevice = devices.find((device) => device.name === 'Ann laptop')!;
    expect(await owner.caller.relayTeam.revokeDevice({ deviceId: annDevice.deviceId })).toEqual({ deviceId: annDevice.deviceId, revoked: true });
    expect((await owner.caller.relayTeam.devices()).find((device) => device.deviceId === annDevice.deviceId)!.revoked).toBe(true);
    expect((await errorOf(ann.caller.relayTeam.staff())).code).toBe('UNAUTHORIZED');
    expect(await errorOf(ann.caller.sync.syncNow())).toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringMatching(/revoked/) });
    // Retrying cannot succeed: the engine stops for good and says why, until Ann disconnects.
    expect(await ann.caller.sync.status()).toMatchObject({ connected: true, sync: { state: 'signedOut', lastError: expect.stringMatching(/revoked/) } });
    expect(await errorOf(ann.caller.sync.syncNow())).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await ann.caller.sync.disconnect()).toMatchObject({ connected: false });
  });

  it('removes a staff member, signing out their desktop at once, and refuses to remove yourself', async () => {
    const invitation = await owner.caller.relayTeam.invite({ email: 'bob@bakery.test', role: 'agent' });
    const bob = await createDesktop('Bakery on Bob laptop');
    try {
      await bob.caller.relayTeam.acceptInvitation({ relayUrl: relay.url, inviteCode: invitation.inviteCode, name: 'Bob Agent', password: annPassword, deviceName: 'Bob laptop' });
      const bobMember = (await owner.caller.relayTeam.staff()).find((member) => member.email === 'bob@bakery.test')!;
      const me = (await owner.caller.relayTeam.staff()).find((member) => member.role === 'owner')!;
      expect((await errorOf(owner.caller.relayTeam.removeStaff({ operatorId: me.operatorId }))).message).toMatch(/cannot remove yourself/);

      expect(await owner.caller.relayTeam.removeStaff({ operatorId: bobMember.operatorId })).toEqual({ operatorId: bobMember.operatorId, removed: true, devicesRevoked: 1 });
      expect((await owner.caller.relayTeam.staff()).map((member) => member.email)).not.toContain('bob@bakery.test');
      expect((await owner.caller.relayTeam.devices()).find((device) => device.name === 'Bob laptop')!.revoked).toBe(true);
      expect(await errorOf(bob.caller.sync.syncNow())).toMatchObject({ code: 'UNAUTHORIZED' });
      expect((await errorOf(owner.caller.relayTeam.removeStaff({ operatorId: bobMember.operatorId }))).code).toBe('NOT_FOUND');
    } finally {
      await bob.dispose();
    }
  });
});
