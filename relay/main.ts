import { Command } from 'commander';
import { loadRelayConfig } from './relayConfig.js';
import { startRelay } from './startRelay.js';

const program = new Command('ares-relay')
  .description('The Ares relay: conversation log, accounts and the web chat widget')
  .option('--port <port>', 'port to listen on (0 picks a free one; default 7420 or RELAY_PORT)')
  .option('--host <host>', 'address to bind (default 127.0.0.1 or RELAY_HOST)')
  .option('--data-dir <dir>', 'folder for the SQLite database (default ~/.local/share/ares-relay or RELAY_DATA_DIR)')
  .option('--config <file>', 'JSON configuration file (or RELAY_CONFIG)')
  .parse();

try {
  const config = loadRelayConfig(program.opts());
  const relay = await startRelay(config);
  // Tests and scripts read this exact line to find the address.
  console.log(`Ares relay: ${relay.url}`);
  const storage = config.databaseUrl
    ? 'PostgreSQL'
    : `SQLite in ${config.dataDir}, ${config.sqliteSynchronous === 'full' ? 'every commit synced to disk' : 'commits not synced to disk (RELAY_SQLITE_SYNCHRONOUS=normal)'}`;
  console.log(`Storage: ${storage}. Health: ${relay.url}/healthz. Press Ctrl+C to stop.`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void relay.close().finally(() => process.exit(0));
    });
  }
} catch (error) {
  console.error(`ares-relay: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
