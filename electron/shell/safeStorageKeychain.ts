import { safeStorage } from 'electron';
import type { Keychain } from '../vault/keychain.js';

/**
 * The OS keychain through Electron's safeStorage. On Linux without a secret service, Electron
 * falls back to 'basic_text', a hard-coded key: "remember on this device" is refused there rather
 * than silently stored next to its own key.
 */
export const safeStorageKeychain: Keychain = {
  status() {
    if (!safeStorage.isEncryptionAvailable()) {
      return { available: false, reason: 'This computer has no keychain that Ares can use, so the key cannot be remembered.' };
    }
    if (process.platform === 'linux') {
      const backend = safeStorage.getSelectedStorageBackend();
      if (backend === 'basic_text' || backend === 'unknown') {
        return {
          available: false,
          reason:
            'No secure keychain was found (install and unlock GNOME Keyring or KWallet). Without one the key would be stored with a fixed, public key, so remembering is turned off.',
        };
      }
    }
    return { available: true };
  },
  seal: (secret) => safeStorage.encryptString(secret.toString('base64')),
  open: (sealed) => Buffer.from(safeStorage.decryptString(sealed), 'base64'),
};
