import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitForAddress } from './processAddress.js';

export interface WebModeProcess {
  url: string;
  origin: string;
  token: string;
  dataDirectory: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts the real `ares-web` entry (what `npm run web` runs after building the renderer) on a free
 * port with a fresh data folder, and waits for the address line it prints.
 */
export async function startWebMode(options: { dataDirectory?: string; environment?: NodeJS.ProcessEnv } = {}): Promise<WebModeProcess> {
  const dataDirectory = options.dataDirectory ?? (await mkdtemp(join(tmpdir(), 'ares-e2e-')));
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/web/serve.ts', '--port', '0', '--data-dir', dataDirectory], {
    env: { ...process.env, ...options.environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // tsx compiles the whole core on start: on a shared 2-core machine under load that took over 30 s.
  const url = await waitForAddress(child, 'Ares web mode').catch(async (error: unknown) => {
    if (!options.dataDirectory) await rm(dataDirectory, { recursive: true, force: true });
    throw error;
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token')!,
    dataDirectory,
    process: child,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      if (!options.dataDirectory) await rm(dataDirectory, { recursive: true, force: true });
    },
  };
}
