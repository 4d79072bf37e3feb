import { useState } from 'react';
import { AgentSettingsScreen } from './AgentSettingsScreen';
import { PlaygroundScreen } from './PlaygroundScreen';

const tabs = [
  { id: 'playground', label: 'Playground' },
  { id: 'settings', label: 'Settings' },
] as const;

/** The agent section: try the assistant in the playground, and shape it in its settings. */
export function AgentScreen() {
  const [tab, setTab] = useState<(typeof tabs)[number]['id']>('playground');
  return (
    <div className="agent-screen">
      <div className="agent-tabs" role="tablist" aria-label="Agent">
        {tabs.map((candidate) => (
          <button
            key={candidate.id}
            type="button"
            role="tab"
            id={`agent-tab-${candidate.id}`}
            aria-selected={tab === candidate.id}
            aria-controls={`agent-panel-${candidate.id}`}
            className={tab === candidate.id ? undefined : 'secondary'}
            onClick={() => setTab(candidate.id)}
          >
            {candidate.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`agent-panel-${tab}`} aria-labelledby={`agent-tab-${tab}`}>
        {tab === 'playground' ? <PlaygroundScreen /> : <AgentSettingsScreen />}
      </div>
    </div>
  );
}
