import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useDeferredValue, useEffect, useRef, useState } from 'react';
import type { ConversationRow } from '../../../../shared/schemas/liveInbox';
import { useTRPC } from '../../api/trpc';
import { ConversationList, type ListQuery } from './ConversationList';
import { ConversationView, typing } from './ConversationView';
import { SavedRepliesEditor } from './SavedRepliesEditor';

/** The live inbox: the virtualised list on the left, the selected conversation on the right. Updates live. */
export function LiveInbox() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [query, setQuery] = useState<ListQuery>({ filter: 'all', channel: null, search: '' });
  const deferredSearch = useDeferredValue(query.search);
  const [selected, setSelected] = useState<string | null>(null);
  const rows = useRef<ConversationRow[]>([]);
  const counts = useQuery(trpc.liveInbox.counts.queryOptions());
  useSubscription(
    trpc.liveInbox.onChange.subscriptionOptions(undefined, {
      onData: () => void queryClient.invalidateQueries({ queryKey: trpc.liveInbox.pathKey() }),
    }),
  );
  const onRowsChange = (loaded: ConversationRow[]) => {
    rows.current = loaded;
    if (!selected && loaded[0]) setSelected(loaded[0].conversationId);
  };
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (typing(event.target) || event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.key !== 'j' && event.key !== 'k') return;
      const index = rows.current.findIndex((row) => row.conversationId === selected);
      const next = rows.current[Math.max(0, Math.min(rows.current.length - 1, index + (event.key === 'j' ? 1 : -1)))];
      if (next) setSelected(next.conversationId);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [selected]);
  return (
    <div className="inbox live-inbox">
      <div>
        <ConversationList query={{ ...query, search: deferredSearch }} onQueryChange={setQuery} counts={counts.data} selected={selected} onSelect={setSelected} onRowsChange={onRowsChange} />
        <SavedRepliesEditor />
      </div>
      {selected ? <ConversationView key={selected} conversationId={selected} /> : <p className="hint">No conversations yet. Connect a relay under "Relay" and add the chat widget to your website.</p>}
    </div>
  );
}
