// `npm start`: build the renderer and the main process, then launch Electron. Where the Electron
// binary is missing (installed with ELECTRON_SKIP_BINARY_DOWNLOAD, or its download failed), say
// how to get it and point at web mode, which needs no binary.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const electronDirectory = dirname(require.resolve('electron/package.json'));

function electronBinaryInstalled() {
  const pathFile = join(electronDirectory, 'path.txt');
  return existsSync(pathFile) && existsSync(join(electronDirectory, 'dist', readFileSync(pathFile, 'utf8')));
}

if (!electronBinaryInstalled()) {
  console.log('Downloading the Electron binary (first start only)...');
  const download = spawnSync(process.execPath, [join(electronDirectory, 'install.js')], { stdio: ['ignore', 'inherit', 'pipe'] });
  if (download.status !== 0 || !electronBinaryInstalled()) {
    console.error(
      'Electron is not installed and could not be downloaded: run "node node_modules/electron/install.js" with internet access, or use "npm run web" to run Ares in a browser without it.',
    );
    process.exit(1);
  }
}
const electronBinary = require('electron');

for (const [command, args] of [
  ['npx', ['vite', 'build', '--logLevel', 'warn']],
  [process.execPath, ['scripts/build-electron.mjs']],
]) {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
const child = spawn(electronBinary, ['.'], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
