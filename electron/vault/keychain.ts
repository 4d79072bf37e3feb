import type { KeychainStatus } from '../../shared/schemas/tenant.js';

/**
 * The OS keychain as the vault sees it. In Electron it is `safeStorage`; the CLI and web mode have
 * none, and say so instead of pretending.
 */
export interface Keychain {
  status(): KeychainStatus;
  seal(secret: Buffer): Buffer;
  open(sealed: Buffer): Buffer;
}

export const noKeychain: Keychain = {
  status: () => ({
    available: false,
    reason: 'Remembering a tenant on this device needs the OS keychain, which only the desktop app can use.',
  }),
  seal: () => {
    throw new Error('no keychain');
  },
  open: () => {
    throw new Error('no keychain');
  },
};
