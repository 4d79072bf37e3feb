import { Command } from 'commander';
import { describeFailure, type GlobalOptions } from './cliContext.js';
import { registerTenantCommands } from './commands/tenantCommands.js';
import { registerKnowledgeCommands } from './commands/knowledgeCommands.js';
import { registerAgentCommands } from './commands/agentCommands.js';
import { registerSyncCommands } from './commands/syncCommands.js';
import { registerChannelCommands } from './commands/channelCommands.js';
import { registerPortabilityCommands } from './commands/portabilityCommands.js';
import { registerInboxCommands } from './commands/inboxCommands.js';
import { registerRelayTeamCommands } from './commands/relayTeamCommands.js';
import { registerRelayPrivacyCommands } from './commands/relayPrivacyCommands.js';

const program = new Command('ares')
  .description('Ares Desktop from the command line: the same core API as the app')
  .option('--data-dir <dir>', 'data folder (default: $ARES_DATA_DIR or the desktop app\'s folder)')
  .option('--json', 'print machine-readable JSON')
  .showHelpAfterError()
  .configureOutput({ outputError: (text, write) => write(text) });

const globals = (): GlobalOptions => program.opts<GlobalOptions>();

registerTenantCommands(program, globals);
registerKnowledgeCommands(program, globals);
registerAgentCommands(program, globals);
registerSyncCommands(program, globals);
registerChannelCommands(program, globals);
registerPortabilityCommands(program, globals);
registerInboxCommands(program, globals);
// After the sync commands: joins their `relay` group.
registerRelayTeamCommands(program, globals);
registerRelayPrivacyCommands(program, globals);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const failure = describeFailure(error);
  if (globals().json) process.stderr.write(`${JSON.stringify({ error: failure })}\n`);
  else process.stderr.write(`ares: ${failure.message} (${failure.code})\n`);
  process.exitCode = 1;
}
