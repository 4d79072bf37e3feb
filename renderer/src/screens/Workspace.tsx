import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import type { SessionState } from '../../../shared/schemas/tenant';
import { forgetTenantData, useTRPC } from '../api/trpc';
import { SecuritySettings } from './SecuritySettings';
import { KnowledgeScreen } from './knowledge/KnowledgeScreen';
import { ProductsScreen } from './knowledge/ProductsScreen';
import { AgentScreen } from './agent/AgentScreen';
import { LiveInbox } from './inbox/LiveInbox';
import { Dashboard } from './inbox/Dashboard';
import { InboxAttention } from './inbox/InboxAttention';
import { RelaySettings } from './relay/RelaySettings';
import { ChannelsScreen } from './channels/ChannelsScreen';
import { DataPrivacyScreen } from './privacy/DataPrivacyScreen';

type Unlocked = Extract<SessionState, { unlocked: true }>;

interface Section {
  id: string;
  label: string;
  render: (state: Unlocked) => ReactNode;
}

/** The screens of an unlocked tenant. Each domain adds its section here when it exists. */
const sections: Section[] = [
  { id: 'inbox', label: 'Inbox', render: () => <LiveInbox /> },
  { id: 'dashboard', label: 'Dashboard', render: () => <Dashboard /> },
  { id: 'knowledge', label: 'Knowledge', render: () => <KnowledgeScreen /> },
  { id: 'products', label: 'Products', render: () => <ProductsScreen /> },
  { id: 'agent', label: 'Agent', render: () => <AgentScreen /> },
  { id: 'channels', label: 'Channels', render: () => <ChannelsScreen /> },
  { id: 'relay', label: 'Relay', render: () => <RelaySettings /> },
  { id: 'privacy', label: 'Data & privacy', render: () => <DataPrivacyScreen /> },
  { id: 'security', label: 'Security', render: (state) => <SecuritySettings state={state} /> },
];

export function Workspace({ state }: { state: Unlocked }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [sectionId, setSectionId] = useState(sections[0]!.id);
  const lock = useMutation(
    trpc.vault.lock.mutationOptions({
      onSuccess: (next) => {
        forgetTenantData(queryClient);
        queryClient.setQueryData(trpc.vault.state.queryKey(), next);
      },
    }),
  );
  const section = sections.find((candidate) => candidate.id === sectionId) ?? sections[0]!;
  return (
    <div className="workspace">
      <nav className="sidebar" aria-label="Sections">
        <div className="tenant-title" title={state.tenantName}>
          {state.tenantName}
        </div>
        <ul>
          {sections.map((candidate) => (
            <li key={candidate.id}>
              <button type="button" aria-current={candidate.id === section.id ? 'page' : undefined} onClick={() => setSectionId(candidate.id)}>
                {candidate.label}
              </button>
            </li>
          ))}
        </ul>
        <InboxAttention />
        <button type="button" className="secondary lock-button" onClick={() => lock.mutate()} disabled={lock.isPending}>
          Lock
        </button>
      </nav>
      <main className="content" aria-labelledby="section-title">
        <h1 id="section-title">{section.label}</h1>
        {section.render(state)}
      </main>
    </div>
  );
}
