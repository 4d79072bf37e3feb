import { z } from 'zod';
import { emailSchema, operatorRoleSchema, personNameSchema, relayPasswordSchema } from './relayAccounts.js';
import { relayUrlSchema } from './relaySync.js';

/**
 * Managing the business's relay account from the desktop: staff and their roles, signed-in
 * devices, and the automatic "we'll get back to you" reply. The desktop core forwards these to the
 * relay with the tenant's device token; the relay decides what the caller's role allows.
 */

export const inviteStaffInput = z.object({ email: emailSchema, role: operatorRoleSchema });

/** The one-time code is shown once: the relay stores only its hash. */
export const invitationSchema = z.object({ operatorId: z.string(), inviteCode: z.string(), email: z.string(), role: operatorRoleSchema, expiresInDays: z.number() });
export type Invitation = z.infer<typeof invitationSchema>;

export const staffMemberSchema = z.object({
  operatorId: z.string(),
  email: z.string(),
  name: z.string(),
  role: operatorRoleSchema,
  invitationPending: z.boolean(),
});
export type StaffMember = z.infer<typeof staffMemberSchema>;

export const relayDeviceSchema = z.object({
  deviceId: z.string(),
  operatorId: z.string(),
  name: z.string(),
  createdAt: z.number(),
  lastSeenAt: z.number().nullable(),
  revoked: z.boolean(),
  /** The device this desktop is signed in as. */
  current: z.boolean(),
});
export type RelayDevice = z.infer<typeof relayDeviceSchema>;

export const revokeDeviceInput = z.object({ deviceId: z.string().min(1).max(100) });

/** Removing a staff member also signs out all of their devices at the relay. */
export const removeStaffInput = z.object({ operatorId: z.string().min(1).max(100) });

/** What the desktop edits; the relay stores "off" as a null delay. */
export const autoReplySettingsSchema = z.object({
  enabled: z.boolean(),
  /** Seconds without any device collecting a customer message before the reply goes out. */
  delaySeconds: z.number().int().min(10, 'Wait at least 10 seconds.').max(7 * 24 * 3600, 'Wait at most 7 days.'),
  text: z.string().trim().min(1, 'Enter the reply text.').max(1000),
});
export type AutoReplySettings = z.infer<typeof autoReplySettingsSchema>;

/** The relay's `account.settings` answer (the widget key is not needed here). */
export const relayTenantSettingsSchema = z.object({ autoReplyAfterSeconds: z.number().nullable(), autoReplyText: z.string() });

export const acceptInvitationRelayInput = z.object({
  relayUrl: relayUrlSchema,
  inviteCode: z.string().trim().min(10, 'Paste the whole invitation code.').max(200),
  name: personNameSchema,
  password: relayPasswordSchema,
  deviceName: z.string().trim().min(1).max(120).optional(),
});

/** The default delay offered when the reply is switched on for the first time. */
export const defaultAutoReplyDelaySeconds = 300;
