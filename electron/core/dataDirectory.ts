import { homedir } from 'node:os';
import { join } from 'node:path';

export const productName = 'Ares Desktop';

/**
 * The folder Electron's `app.getPath('userData')` gives for this app, computed without Electron so
 * the CLI and web mode use the same tenants as the desktop app.
 */
export function defaultDataDirectory(environment: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (environment.ARES_DATA_DIR) return environment.ARES_DATA_DIR;
  if (platform === 'win32') return join(environment.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), productName);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', productName);
  return join(environment.XDG_CONFIG_HOME ?? join(homedir(), '.config'), productName);
}
