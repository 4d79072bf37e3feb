import { keepPreviousData, useQueries } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ConversationRow, InboxCounts, InboxFilter } from '../../../../shared/schemas/liveInbox';
import type { ChannelName } from '../../../../shared/schemas/sync';
import { useTRPC } from '../../api/trpc';
import { ErrorMessage } from '../../components/ErrorMessage';
import { VirtualList } from './VirtualList';
import { StatusBadge } from './StatusBadge';

const pageSize = 100;
const rowHeight = 68;

const filters: { id: InboxFilter; label: string; count: (counts: InboxCounts) => number }[] = [
  { id: 'all', label: 'All', count: (counts) => counts.all },
  { id: 'needs_human', label: 'Needs a human', count: (counts) => counts.needsHuman },
  { id: 'mine', label: 'Mine', count: (counts) => counts.mine },
  { id: 'ai', label: 'AI handling', count: (counts) => counts.ai },
  { id: 'resolved', label: 'Resolved', count: (counts) => counts.resolved },
];

export interface ListQuery {
  filter: InboxFilter;
  channel: ChannelName | null;
  search: string;
}

/** The conversation list: filters, local search, unread counts; pages of 100 are fetched only for the rows in view. */
export function ConversationList({
  query,
  onQueryChange,
  counts,
  selected,
  onSelect,
  onRowsChange,
}: {
  query: ListQuery;
  onQueryChange: (query: ListQuery) => void;
  counts: InboxCounts | undefined;
  selected: string | null;
  onSelect: (conversationId: string) => void;
  onRowsChange: (rows: ConversationRow[]) => void;
}) {
  const trpc = useTRPC();
  const [range, setRange] = useState({ start: 0, end: 20 });
  const pages = useMemo(() => {
    const first = Math.floor(range.start / pageSize);
    const last = Math.floor(Math.max(range.start, range.end - 1) / pageSize);
    return Array.from({ length: last - first + 1 }, (_, index) => first + index);
  }, [range]);
  const results = useQueries({
    queries: pages.map((page) => ({
      ...trpc.liveInbox.page.queryOptions({ filter: query.filter, channel: query.channel, search: query.search, offset: page * pageSize, limit: pageSize }),
      placeholderData: keepPreviousData,
    })),
  });
  // A search counts up to a cap ("1,000+"); a page further down knows more, so the furthest page loaded wins.
  const loadedFurthest = results.reduce<(typeof results)[number]['data']>((best, result) => (result.data && (!best || result.data.offset > best.offset) ? result.data : best), undefined);
  // A jump far down asks for pages nothing has loaded yet; until one arrives the list keeps the
  // size it had for this query, or it would shrink to nothing and throw the scroll back to the top.
  const queryKey = JSON.stringify([query.filter, query.channel, query.search]);
  const lastKnown = useRef<{ queryKey: string; page: NonNullable<typeof loadedFurthest> } | null>(null);
  if (loadedFurthest) lastKnown.current = { queryKey, page: loadedFurthest };
  const furthest = loadedFurthest ?? (lastKnown.current?.queryKey === queryKey ? lastKnown.current.page : undefined);
  const total = furthest?.total ?? 0;
  const totalCapped = furthest?.totalCapped ?? false;
  // While capped, one more page of room lets the list scroll on and ask for it.
  const rowCount = totalCapped ? total + pageSize : total;
  const rowAt = useCallback(
    (index: number): ConversationRow | undefined => {
      const page = Math.floor(index / pageSize);
      const result = results[pages.indexOf(page)];
      return result?.data?.offset === page * pageSize ? result.data.rows[index - page * pageSize] : undefined;
    },
    [results, pages],
  );
  const loaded = results.flatMap((result) => result.data?.rows ?? []);
  const loadedKey = loaded.map((row) => `${row.conversationId}:${row.status}:${row.unread}`).join(',');
  // Keyboard navigation (J/K) walks the rows already loaded.
  useEffect(() => onRowsChange(loaded), [loadedKey]);
  const onRangeChange = useCallback((start: number, end: number) => setRange((current) => (current.start === start && current.end === end ? current : { start, end })), []);

  return (
    <section className="live-inbox-list" aria-label="Conversation list">
      <div className="live-inbox-filters" role="group" aria-label="Filters">
        {filters.map((filter) => (
          <button
            key={filter.id}
            type="button"
            className={query.filter === filter.id ? '' : 'secondary'}
            aria-pressed={query.filter === filter.id}
            onClick={() => onQueryChange({ ...query, filter: filter.id })}
          >
            {filter.label}
            {counts ? ` (${filter.count(counts)})` : ''}
          </button>
        ))}
      </div>
      <div className="live-inbox-search">
        <input type="search" aria-label="Search conversations" placeholder="Search names and messages" value={query.search} onChange={(event) => onQueryChange({ ...query, search: event.target.value })} />
        <select aria-label="Channel" value={query.channel ?? ''} onChange={(event) => onQueryChange({ ...query, channel: (event.target.value || null) as ChannelName | null })}>
          <option value="">All channels</option>
          <option value="web">Web chat</option>
          <option value="whatsapp">WhatsApp</option>
          <option value="messenger">Messenger</option>
        </select>
      </div>
      {results.find((result) => result.isError)?.error && <ErrorMessage error={results.find((result) => result.isError)?.error} />}
      <p className="hint" aria-live="polite">
        {total.toLocaleString()}
        {totalCapped ? '+' : ''} conversation{total === 1 && !totalCapped ? '' : 's'}
      </p>
      <VirtualList
        count={rowCount}
        rowHeight={rowHeight}
        height={Math.min(560, Math.max(rowHeight * 3, rowCount * rowHeight))}
        label="Conversations"
        onRangeChange={onRangeChange}
        renderRow={(index) => {
          const row = rowAt(index);
          if (!row) return <div className="live-inbox-row placeholder">…</div>;
          return (
            <button type="button" className="live-inbox-row" aria-current={row.conversationId === selected ? 'true' : undefined} onClick={() => onSelect(row.conversationId)}>
              <span className="live-inbox-row-top">
                <span className="inbox-customer">{row.customerLabel || row.conversationId}</span>
                {row.unread > 0 && (
                  <span className="live-inbox-unread" aria-label={`${row.unread} unread`}>
                    {row.unread}
                  </span>
                )}
                <StatusBadge status={row.status} holder={row.holder} />
              </span>
              <span className="inbox-preview">
                {row.channel ? `${channelLabels[row.channel]} · ` : ''}
                {row.lastMessagePreview}
              </span>
            </button>
          );
        }}
      />
    </section>
  );
}

export const channelLabels: Record<ChannelName, string> = { web: 'Web chat', whatsapp: 'WhatsApp', messenger: 'Messenger' };
