import { hostname } from 'node:os';
import { AresError } from '../../shared/errors.js';
import { acceptInvitationRelayInput, autoReplySettingsSchema, defaultAutoReplyDelaySeconds, inviteStaffInput, removeStaffInput, revokeDeviceInput, type AutoReplySettings, type Invitation } from '../../shared/schemas/relayTeam.js';
import { router, tenantProcedure } from '../core/trpc.js';
import { parseRelayUrl, syncServiceFor } from '../sync/index.js';
import { acceptInvitationAtRelay, RelayTeamClient } from './relayTeamClient.js';

const invitationLifetimeDays = 7;

/**
 * The business's relay account as owners and admins manage it from the desktop: invite staff,
 * list staff and devices, revoke a device, remove a staff member, and the automatic "we'll get
 * back to you" reply. The relay enforces roles (agents may only list and sign out their own devices).
 */
export const relayTeamRouter = router({
  invite: tenantProcedure.input(inviteStaffInput).mutation(async ({ ctx, input }): Promise<Invitation> => {
    const invitation = await RelayTeamClient.forSession(ctx.session).invite(input.email, input.role);
    return { ...invitation, email: input.email, role: input.role, expiresInDays: invitationLifetimeDays };
  }),

  staff: tenantProcedure.query(({ ctx }) => RelayTeamClient.forSession(ctx.session).staff()),

  devices: tenantProcedure.query(({ ctx }) => RelayTeamClient.forSession(ctx.session).devices()),

  revokeDevice: tenantProcedure.input(revokeDeviceInput).mutation(async ({ ctx, input }) => {
    const client = RelayTeamClient.forSession(ctx.session);
    const device = (await client.devices()).find((candidate) => candidate.deviceId === input.deviceId);
    // Revoking this very desktop would cut sync off with no way back but signing in again: that is "Disconnect".
    if (device?.current) throw new AresError('INVALID_INPUT', 'This is the device you are using. Use Disconnect to sign it out.');
    await client.revokeDevice(input.deviceId);
    return { deviceId: input.deviceId, revoked: true };
  }),

  /** Removes a colleague from the business; the relay signs out all of their devices in the same transaction. */
  removeStaff: tenantProcedure.input(removeStaffInput).mutation(async ({ ctx, input }) => {
    const client = RelayTeamClient.forSession(ctx.session);
    const devices = await client.devices();
    if (devices.some((device) => device.current && device.operatorId === input.operatorId)) {
      throw new AresError('INVALID_INPUT', 'You cannot remove yourself. Another owner or admin can remove you.');
    }
    await client.removeStaff(input.operatorId);
    const devicesRevoked = devices.filter((device) => device.operatorId === input.operatorId && !device.revoked).length;
    return { operatorId: input.operatorId, removed: true, devicesRevoked };
  }),

  autoReply: tenantProcedure.query(async ({ ctx }): Promise<AutoReplySettings> => {
    const settings = await RelayTeamClient.forSession(ctx.session).settings();
    return { enabled: settings.autoReplyAfterSeconds !== null, delaySeconds: settings.autoReplyAfterSeconds ?? defaultAutoReplyDelaySeconds, text: settings.autoReplyText };
  }),

  updateAutoReply: tenantProcedure.input(autoReplySettingsSchema).mutation(async ({ ctx, input }): Promise<AutoReplySettings> => {
    await RelayTeamClient.forSession(ctx.session).updateSettings({ autoReplyAfterSeconds: input.enabled ? input.delaySeconds : null, autoReplyText: input.text });
    return input;
  }),

  /** The invited staff member's side: joins the business's relay account and connects this tenant to it. */
  acceptInvitation: tenantProcedure.input(acceptInvitationRelayInput).mutation(async ({ ctx, input }) => {
    const relayUrl = parseRelayUrl(input.relayUrl);
    const signedIn = await acceptInvitationAtRelay(relayUrl, { inviteCode: input.inviteCode, name: input.name, password: input.password, deviceName: input.deviceName ?? hostname() });
    return syncServiceFor(ctx.session).adopt(relayUrl, signedIn);
  }),
});
