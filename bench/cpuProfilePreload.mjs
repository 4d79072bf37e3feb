// Preload for profiling a child process where `--cpu-prof` is not allowed in NODE_OPTIONS:
//   NODE_OPTIONS="--require ./bench/cpuProfilePreload.cjs" ARES_CPU_PROFILE_DIR=/tmp/profiles …
// Writes one .cpuprofile (Chrome DevTools format) when the process exits.
const inspector = require('node:inspector');
const { writeFileSync, mkdirSync } = require('node:fs');
const { join } = require('node:path');

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
