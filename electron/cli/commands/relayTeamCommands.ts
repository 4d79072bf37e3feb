import { Command } from 'commander';
import { AresError } from '../../../shared/errors.js';
import { operatorRoleSchema, type OperatorRole } from '../../../shared/schemas/relayAccounts.js';
import type { AutoReplySettings, RelayDevice, StaffMember } from '../../../shared/schemas/relayTeam.js';
import { printResult, withTenant, type GlobalOptions } from '../cliContext.js';
import { readPassphrase } from '../passphraseInput.js';
import { counted } from '../counted.js';

const describeStaff = (member: StaffMember) => `${member.invitationPending ? '(invited)' : member.name}  <${member.email}>  ${member.role}  ${member.operatorId}`;
const describeDevice = (device: RelayDevice) =>
  `${device.deviceId}  ${device.name}${device.current ? ' (this device)' : ''}  ${device.revoked ? 'revoked' : `last seen ${device.lastSeenAt ? new Date(device.lastSeenAt).toISOString() : 'never'}`}`;
const describeAutoReply = (settings: AutoReplySettings) => (settings.enabled ? `Automatic reply: on, after ${settings.delaySeconds} s: ${settings.text}` : `Automatic reply: off (text: ${settings.text})`);

function parseRole(value: string): OperatorRole {
  const parsed = operatorRoleSchema.safeParse(value);
  if (!parsed.success) throw new AresError('INVALID_INPUT', 'The role is owner, admin or agent.');
  return parsed.data;
}

/**
 * `ares relay invite|staff|remove-staff|devices|revoke-device|auto-reply|accept-invitation`: the business's
 * relay account, through the same core procedures as the Relay screen. The `relay` command group
 * itself belongs to the sync commands; these join it.
 */
export function registerRelayTeamCommands(program: Command, globals: () => GlobalOptions): void {
  const relay = program.commands.find((command) => command.name() === 'relay') ?? program.command('relay').description('the relay connection and account');

  relay
    .command('invite')
    .description('invite a colleague (owners and admins); prints the one-time invitation code')
    .requiredOption('--tenant <name>', 'tenant on this device')
    .requiredOption('--email <email>', "the colleague's email")
    .option('--role <role>', 'owner, admin or agent', 'agent')
    .action(async (options: { tenant: string; email: string; role: string }) => {
      const role = parseRole(options.role);
      const invitation = await withTenant(globals(), options.tenant, (caller) => caller.relayTeam.invite({ email: options.email, role }));
      printResult(
        globals(),
        invitation,
        `Invited ${invitation.email} as ${invitation.role}. Invitation code (shown once, valid ${invitation.expiresInDays} days): ${invitation.inviteCode}\n` +
          `They join with: ARES_RELAY_INVITE_CODE=… ares relay accept-invitation --tenant NAME --url URL --name "Their Name"`,
      );
    });

  relay
    .command('staff')
    .description('list the people of this business at the relay, with their roles')
    .requiredOption('--tenant <name>', 'tenant on this device')
    .action(async (options: { tenant: string }) => {
      const staff = await withTenant(globals(), options.tenant, (caller) => caller.relayTeam.staff());
      printResult(globals(), staff, staff.map(describeStaff).join('\n'));
    });

  relay
    .command('devices')
    .description('list signed-in devices (owners and admins: everyone\'s; agents: their own)')
    .requiredOption('--tenant <name>', 'tenant on this device')
    .action(async (options: { tenant: string }) => {
      const devices = await withTenant(globals(), options.tenant, (caller) => caller.relayTeam.devices());
      printResult(globals(), devices, devices.map(describeDevice).join('\n'));
    });

  relay
    .command('revoke-device')
    .description('sign a device out of the relay: its token stops working at once')
    .requiredOption('--tenant <name>', 'tenant on this device')
    .requiredOption('--device <id>', 'device id (from `ares relay devices`)')
    .action(async (options: { tenant: string; device: string }) => {
      const result = await withTenant(globals(), options.tenant, (caller) => caller.relayTeam.revokeDevice({ deviceId: options.device }));
      printResult(globals(), result, `Device ${result.deviceId} revoked.`);
    });

  relay
    .command('remove-staff')
    .description('remove a colleague from the business (owners and admins); all of their devices are signed out')
    .requiredOption('--tenant <name>', 'tenant on this device')
    .requiredOption('--member <email-or-id>', 'their email or id (from `ares relay staff`)')
    .action(async (options: { tenant: string; member: string }) => {
      const result = await withTenant(globals(), options.tenant, async (caller) => {
        const wanted = options.member.trim().toLowerCase();
        const member = (await caller.relayTeam.staff()).find((candidate) => candidate.operatorId === options.member.trim() || candidate.email.toLowerCase() === wanted);
        if (!member) throw new AresError('NOT_FOUND', `Nobody with the email or id "${options.member}" is on the staff (see \`ares relay staff\`).`);
        return { ...(await caller.relayTeam.removeStaff({ operatorId: member.operatorId })), email: member.email };
      });
      printResult(globals(), result, `Removed ${result.email}; ${counted(result.devicesRevoked, 'device')} signed out.`);
    });

  relay
    .command('auto-reply')
    .description('show, or change (owners and admins), the automatic "we\'ll get back to you" reply')
    .requiredOption('--tenant <name>', 'tenant on this device')
    .option('--on', 'turn it on')
    .option('--off', 'turn it off')
    .option('--after <seconds>', 'send it when no device collected a message for this long (10 s to 7 days)')
    .option('--text <text>', 'the reply')
    .action(async (options: { tenant: string; on?: boolean; off?: boolean; after?: string; text?: string }) => {
      if (options.on && options.off) throw new AresError('INVALID_INPUT', 'Give --on or --off, not both.');
      const changing = options.on || options.off || options.after !== undefined || options.text !== undefined;
      const settings = await withTenant(globals(), options.tenant, async (caller) => {
        const current = await caller.relayTeam.autoReply();
        if (!changing) return current;
        const delaySeconds = options.after === undefined ? current.delaySeconds : Number(options.after);
        if (!Number.isInteger(delaySeconds)) throw new AresError('INVALID_INPUT', '--after is a whole number of seconds.');
        return caller.relayTeam.updateAutoReply({ enabled: options.off ? false : options.on ? true : current.enabled, delaySeconds, text: options.text ?? current.text });
      });
      printResult(globals(), settings, describeAutoReply(settings));
    });

  relay
    .command('accept-invitation')
    .description('join a business with an invitation code (ARES_RELAY_INVITE_CODE) and connect this tenant; password: ARES_RELAY_PASSWORD or line 2 of stdin')
    .requiredOption('--tenant <name>', 'tenant on this device')
    .requiredOption('--url <url>', 'relay address')
    .requiredOption('--name <name>', 'your name as colleagues see it')
    .option('--device-name <name>', 'how this device is listed at the relay')
    .action(async (options: { tenant: string; url: string; name: string; deviceName?: string }) => {
      // The code is a credential: from the environment, never argv (process lists, shell history).
      const inviteCode = process.env.ARES_RELAY_INVITE_CODE?.trim();
      if (!inviteCode) throw new AresError('INVALID_INPUT', 'Set ARES_RELAY_INVITE_CODE to the invitation code.');
      const status = await withTenant(globals(), options.tenant, async (caller) => {
        const password = await readPassphrase({ environmentVariable: 'ARES_RELAY_PASSWORD', lineIndex: 1, prompt: 'Choose a relay password: ' });
        return caller.relayTeam.acceptInvitation({ relayUrl: options.url, inviteCode, name: options.name, password, deviceName: options.deviceName });
      });
      printResult(globals(), status, status.connected ? `Joined ${status.tenantName} as ${status.operatorName} (${status.role}); this tenant now syncs with ${status.relayUrl}.` : 'Not connected.');
    });
}
