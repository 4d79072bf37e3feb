import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useEffect, useRef } from 'react';
import { useTRPC } from '../../api/trpc';

const baseTitle = document.title;

/**
 * Always mounted while a tenant is unlocked: the count of conversations that need a person as a
 * sidebar badge and in the window title, and a notification (browser Notification API; Electron's
 * renderer has the same) when a new one appears.
 */
export function InboxAttention() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const waiting = useQuery(trpc.liveInbox.page.queryOptions({ filter: 'needs_human', limit: 50 }));
  useSubscription(
    trpc.liveInbox.onChange.subscriptionOptions(undefined, {
      onData: () => void queryClient.invalidateQueries({ queryKey: trpc.liveInbox.page.queryKey({ filter: 'needs_human', limit: 50 }) }),
    }),
  );
  const known = useRef<Set<string> | null>(null);
  const count = waiting.data?.total ?? 0;

  useEffect(() => {
    document.title = count > 0 ? `(${count}) ${baseTitle}` : baseTitle;
    return () => {
      document.title = baseTitle;
    };
  }, [count]);

  useEffect(() => {
    if (typeof Notification !== 'undefined' && Notification.permission === 'default') void Notification.requestPermission().catch(() => undefined);
  }, []);

  useEffect(() => {
    const rows = waiting.data?.rows;
    if (!rows) return;
    const previous = known.current;
    known.current = new Set(rows.map((row) => row.conversationId));
    // The first load only learns what is already waiting: notify about what arrives after.
    if (!previous || typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
    for (const row of rows) {
      if (!previous.has(row.conversationId)) {
        new Notification('A conversation needs a person', { body: `${row.customerLabel || 'A customer'}: ${row.lastMessagePreview}`, tag: `ares-${row.conversationId}` });
      }
    }
  }, [waiting.data]);

  if (count === 0) return null;
  return (
    <p className="live-inbox-attention" role="status" aria-label="Conversations needing a person">
      {count} need{count === 1 ? 's' : ''} a person
    </p>
  );
}
