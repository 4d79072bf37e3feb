// One benchmark desktop in its own process (as on a real machine): the real engine on a SQLCipher
// file. Prints "ready" once caught up, then "text<TAB>wall-clock ms" for each customer message applied,
// and when stopped "commits<TAB>transactions<TAB>events" (how the desktop batched its applies).
import { startBenchDesktop } from './relayBenchSupport.js';

const [relayUrl, deviceToken] = process.argv.slice(2);
const lines: string[] = [];
const flush = () => {
  if (lines.length > 0) process.stdout.write(`${lines.splice(0).join('\n')}\n`);
};
const desktop = await startBenchDesktop(relayUrl!, deviceToken!, (event) => {
  if (event.body.type === 'customer.message') lines.push(`${event.body.text}\t${performance.timeOrigin + performance.now()}`);
});
await desktop.engine.syncNow();
process.stdout.write('ready\n');
setInterval(flush, 20);
process.on('SIGTERM', () => {
  flush();
  process.stdout.write(`commits\t${desktop.commits.count}\t${desktop.commits.events}\n`);
  void desktop.close().finally(() => process.exit(0));
});
