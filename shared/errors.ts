/**
 * Error codes that cross a boundary (API, CLI, UI). Each code has one message a user can read;
 * the UI and the CLI show that message, never a stack trace.
 */
export const errorMessages = {
  WRONG_PASSPHRASE: 'The passphrase is not correct for this tenant.',
  TOO_MANY_ATTEMPTS: 'Too many wrong passphrases. Wait a moment before trying again.',
  WEAK_PASSPHRASE: 'The passphrase is too weak. Use a longer phrase of several unrelated words.',
  TENANT_NOT_FOUND: 'No tenant with that name exists on this device.',
  TENANT_EXISTS: 'A tenant with that name already exists on this device.',
  TENANT_LOCKED: 'Unlock a tenant first.',
  NAME_MISMATCH: 'The name you typed does not match the tenant name.',
  KEYCHAIN_UNAVAILABLE: 'This device has no secure keychain to remember the key.',
  NOT_REMEMBERED: 'This tenant is not remembered on this device. Unlock it with its passphrase.',
  INVALID_INPUT: 'The request is not valid.',
  UNSUPPORTED_FILE_TYPE: 'This file type is not supported.',
  FILE_TOO_LARGE: 'The file is larger than the configured limit.',
  FILE_UNREADABLE: 'The file could not be read.',
  MODEL_NOT_INSTALLED: 'The embedding model is not installed on this device.',
  MODEL_CHECKSUM_MISMATCH: 'The downloaded model does not match its expected checksum.',
  EMBEDDING_STOPPED: 'The embedding engine stopped. Restart Ares to import and search again; nothing stored was lost.',
  CATALOG_COLUMN_NOT_FOUND: 'The column mapping names a column the catalog does not have.',
  NOT_A_CATALOG: 'Only catalogs (CSV, XLSX or JSON) have a column mapping.',
  CANCELLED: 'The operation was cancelled.',
  NOT_FOUND: 'The item was not found.',
  RELAY_URL_INSECURE: 'The relay address must use HTTPS (plain HTTP is only allowed on this computer).',
  RELAY_UNREACHABLE: 'The relay could not be reached.',
  RELAY_ACCOUNT_CLOSED: 'This business account was closed on the relay. Its data there is deleted; sign in to another relay account to sync again.',
  UNAUTHORIZED: 'You are not signed in, or your session has ended.',
  FORBIDDEN: 'Your role does not allow this action.',
  RATE_LIMITED: 'Too many requests. Wait a moment and try again.',
  CONFLICT: 'Someone else changed this at the same time.',
  ARCHIVE_DAMAGED: 'The archive is damaged or was changed after it was made. Nothing was imported.',
  ARCHIVE_UNSUPPORTED: 'This file is not an Ares export or backup, or it was made by a newer version of Ares.',
  BACKUP_PASSPHRASE_REQUIRED: 'This file is an encrypted backup. Enter the backup passphrase.',
  WRONG_BACKUP_PASSPHRASE: 'The backup passphrase is not correct, or the backup header is damaged.',
  DESTINATION_EXISTS: 'A file already exists at that path. Choose another name.',
  CUSTOMER_NOT_FOUND: 'No customer with that id exists in this tenant.',
  INTERNAL: 'Something went wrong. The error has been logged.',
} as const;

export type AresErrorCode = keyof typeof errorMessages;

export function isAresErrorCode(value: unknown): value is AresErrorCode {
  return typeof value === 'string' && value in errorMessages;
}

/** An error whose code and message are safe to show to the user. */
export class AresError extends Error {
  readonly code: AresErrorCode;
  /** Extra machine-readable facts, for example how long to wait before retrying. */
  readonly details: Record<string, unknown> | undefined;

  constructor(code: AresErrorCode, message?: string, details?: Record<string, unknown>) {
    super(message ?? errorMessages[code]);
    this.name = 'AresError';
    this.code = code;
    this.details = details;
  }
}
