import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useState } from 'react';
import { forgetTenantData, useTRPC } from './api/trpc';
import { ErrorMessage } from './components/ErrorMessage';
import { TenantPicker } from './screens/TenantPicker';
import { Workspace } from './screens/Workspace';

const lockNotices: Record<string, string> = {
  idle: 'The tenant was locked after a period of inactivity.',
  system: 'The tenant was locked because the computer went to sleep or locked its screen.',
  deleted: 'The tenant was deleted.',
};

export function App() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const state = useQuery(trpc.vault.state.queryOptions());
  const [notice, setNotice] = useState<string | null>(null);

  useSubscription(
    trpc.vault.onStateChange.subscriptionOptions(undefined, {
      onData: (change) => {
        if (change.reason !== 'unlocked' && change.reason !== 'switched') {
          // Locked behind the UI's back: drop every cached tenant query, show why.
          forgetTenantData(queryClient);
          setNotice(lockNotices[change.reason] ?? null);
        } else setNotice(null);
        void queryClient.invalidateQueries({ queryKey: trpc.vault.state.queryKey() });
      },
    }),
  );

  if (state.isPending) return <p className="hint centered">Starting…</p>;
  if (state.isError) return <ErrorMessage error={state.error} />;
  if (!state.data.unlocked) return <TenantPicker notice={notice} />;
  return <Workspace state={state.data} />;
}
