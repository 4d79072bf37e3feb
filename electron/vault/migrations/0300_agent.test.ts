import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { migration0300Agent } from './0300_agent.js';

describe('migration 300 (agent)', () => {
  it('creates the secret store and the decision log, refusing an unknown outcome', () => {
    const database = new Database(':memory:');
    migration0300Agent.up(database);
    database.prepare("insert into agent_secrets (name, value) values ('model.apiKey', 'k')").run();
    database
      .prepare("insert into agent_decisions (id, conversation_id, decided_at, outcome, hand_off_reason, confidence, model, question, record) values ('d1', 'c1', 1, 'hand_off', 'low_confidence', 0.2, null, 'q', '{}')")
      .run();
    expect(database.prepare('select value from agent_secrets').get()).toEqual({ value: 'k' });
    expect(database.prepare('select outcome, hand_off_reason as reason from agent_decisions where conversation_id = ?').get('c1')).toEqual({ outcome: 'hand_off', reason: 'low_confidence' });
    expect(() => database.prepare("insert into agent_decisions (id, decided_at, outcome, confidence, question, record) values ('d2', 1, 'maybe', 0, 'q', '{}')").run()).toThrow();
    database.close();
  });
});
