import { Command, InvalidArgumentError } from 'commander';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AresCore } from '../core/aresCore.js';
import { attachBackgroundServices } from '../core/backgroundServices.js';
import { defaultDataDirectory } from '../core/dataDirectory.js';
import { startWebServer } from './webServer.js';

const repositoryRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('Give a port from 0 to 65535.');
  return port;
}

const program = new Command('ares-web')
  .description('Serve Ares Desktop on 127.0.0.1 for a browser (web mode)')
  .option('--port <port>', 'port on 127.0.0.1 (0 picks a free one)', parsePort, 5917)
  .option('--data-dir <dir>', 'data folder (default: $ARES_DATA_DIR or the desktop app\'s folder)')
  .option('--renderer-dir <dir>', 'built renderer folder', resolve(repositoryRoot, 'dist', 'renderer'))
  .parse();

const options = program.opts<{ port: number; dataDir?: string; rendererDir: string }>();
const core = new AresCore({ dataDirectory: options.dataDir ?? defaultDataDirectory() });
attachBackgroundServices(core);
const server = await startWebServer({ core, port: options.port, rendererDirectory: options.rendererDir });
// Tests and scripts read this exact line to find the address.
console.log(`Ares web mode: ${server.url}`);
console.log('Open that address in a browser on this computer. Press Ctrl+C to stop.');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void Promise.all([server.close(), core.dispose()]).finally(() => process.exit(0));
  });
}
