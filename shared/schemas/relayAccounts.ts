import { z } from 'zod';

/** Relay accounts: a tenant with operators (owner, admin, agent) who sign in on devices. */

export const operatorRoleSchema = z.enum(['owner', 'admin', 'agent']);
export type OperatorRole = z.infer<typeof operatorRoleSchema>;

export const emailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email('Enter a valid email address.'));
/** Length only: a relay password is a shared secret typed by a person; strength is the operator's policy. */
export const relayPasswordSchema = z.string().min(10, 'Use at least 10 characters.').max(1024);
export const personNameSchema = z.string().trim().min(1, 'Enter a name.').max(120);
export const deviceNameSchema = z.string().trim().min(1).max(120);

export const registerTenantInput = z.object({
  businessName: personNameSchema,
  ownerName: personNameSchema,
  email: emailSchema,
  password: relayPasswordSchema,
  deviceName: deviceNameSchema,
});

export const loginInput = z.object({
  email: emailSchema,
  password: z.string().min(1).max(1024),
  deviceName: deviceNameSchema,
});

export const inviteInput = z.object({ email: emailSchema, role: operatorRoleSchema });

export const acceptInvitationInput = z.object({
  inviteCode: z.string().min(10).max(200),
  name: personNameSchema,
  password: relayPasswordSchema,
  deviceName: deviceNameSchema,
});

export const idInput = z.object({ id: z.string().min(1).max(100) });

export const tenantSettingsInput = z.object({
  /** Null turns the automatic "we'll get back to you" reply off. */
  autoReplyAfterSeconds: z.number().int().min(10).max(7 * 24 * 3600).nullable(),
  autoReplyText: z.string().trim().min(1).max(1000),
});

export const sessionSchema = z.object({
  tenantId: z.string(),
  tenantName: z.string(),
  operatorId: z.string(),
  operatorName: z.string(),
  role: operatorRoleSchema,
  deviceId: z.string(),
  widgetKey: z.string(),
});
export type RelaySession = z.infer<typeof sessionSchema>;

/** What sign-in returns: the device token is shown once and stored only hashed on the relay. */
export const signedInSchema = sessionSchema.extend({ deviceToken: z.string() });
export type SignedIn = z.infer<typeof signedInSchema>;
