import { z } from 'zod';

/** Passphrases are checked for strength on the server; this only bounds their size. */
export const passphraseSchema = z.string().min(1, 'Enter a passphrase.').max(1024);

export const tenantNameSchema = z
  .string()
  .trim()
  .min(1, 'Enter a business name.')
  .max(120, 'Use at most 120 characters.')
  .refine((name) => ![...name].some((character) => character.charCodeAt(0) < 0x20), 'The name cannot contain control characters.');

export const idleLockMinutesSchema = z.number().int().min(1).max(24 * 60);

export const createTenantInput = z.object({
  name: tenantNameSchema,
  passphrase: passphraseSchema,
});

export const unlockTenantInput = z.object({
  name: tenantNameSchema,
  passphrase: passphraseSchema,
});

export const unlockRememberedInput = z.object({ name: tenantNameSchema });

export const changePassphraseInput = z.object({
  currentPassphrase: passphraseSchema,
  newPassphrase: passphraseSchema,
});

export const deleteTenantInput = z.object({
  name: tenantNameSchema,
  confirmName: z.string(),
  passphrase: passphraseSchema,
});

export const rememberInput = z.object({ remember: z.boolean() });

export const tenantSettingsInput = z.object({ idleLockMinutes: idleLockMinutesSchema });

export const tenantSummarySchema = z.object({
  name: z.string(),
  rememberedOnDevice: z.boolean(),
});
export type TenantSummary = z.infer<typeof tenantSummarySchema>;

export const sessionStateSchema = z.discriminatedUnion('unlocked', [
  z.object({ unlocked: z.literal(false) }),
  z.object({
    unlocked: z.literal(true),
    tenantName: z.string(),
    idleLockMinutes: z.number(),
    rememberedOnDevice: z.boolean(),
  }),
]);
export type SessionState = z.infer<typeof sessionStateSchema>;

export const keychainStatusSchema = z.object({
  available: z.boolean(),
  reason: z.string().optional(),
});
export type KeychainStatus = z.infer<typeof keychainStatusSchema>;
