// Preload for profiling a child process where `--cpu-prof` is not allowed in NODE_OPTIONS:
//   NODE_OPTIONS="--import ./bench/cpuProfilePreload.mjs" ARES_CPU_PROFILE_DIR=/tmp/profiles …
// Writes one .cpuprofile (Chrome DevTools format) when the process exits.
import { mkdirSync, writeFileSync } from 'node:fs';
import inspector from 'node:inspector';
import { join } from 'node:path';

const directory = process.env.ARES_CPU_PROFILE_DIR || '.';
const session = new inspector.Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.start');
process.on('exit', () => {
  session.post('Profiler.stop', (error, result) => {
    if (error) return;
    mkdirSync(directory, { recursive: true });
    writeFileSync(join(directory, `process-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
  });
});
