export { Vault, type VaultOptions } from './vault.js';
export { TenantSession, type SessionService } from './tenantSession.js';
export { noKeychain, type Keychain } from './keychain.js';
export { readSetting, writeSetting } from './tenantSettings.js';
export type { TenantDatabase } from './tenantDatabase.js';
export type { Migration } from './migrations/index.js';
