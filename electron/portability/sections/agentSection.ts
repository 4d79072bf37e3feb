import { tableSection } from './tableSection.js';

/**
 * The agent's decision log. Its settings (persona, rules, hand-off, model endpoint) live in the
 * settings section under "agent.settings"; the model API key (agent_secrets) is never exported.
 */
export const agentSection = tableSection({
  id: 'agent',
  title: 'Agent decisions',
  requiredTables: ['agent_decisions'],
  notAvailableNote: 'The agent is not in this version of the app yet.',
  tables: [
    {
      table: 'agent_decisions',
      path: 'agent/decisions.jsonl',
      countName: 'decisions',
      description: 'One line per agent decision: id, conversation_id, decided_at (ms since 1970, UTC), outcome (answer or hand_off), hand_off_reason, confidence, model, the question, and the full record (sources used, scores, answer).',
      jsonColumns: ['record'],
    },
  ],
});
