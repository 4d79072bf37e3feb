import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { fileTypes, type FileType, type SearchHit } from '../../../../shared/schemas/knowledge';
import { useTRPC } from '../../api/trpc';
import { ErrorMessage } from '../../components/ErrorMessage';

/** Wraps each matched term in <mark>, case-insensitively. */
export function highlight(text: string, terms: string[]): ReactNode[] {
  if (terms.length === 0) return [text];
  const escaped = terms.map((term) => term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`(${escaped.join('|')})`, 'giu');
  return text.split(pattern).map((part, index) => (index % 2 === 1 ? <mark key={index}>{part}</mark> : part));
}

export function describeLocation(hit: Pick<SearchHit, 'location'>): string {
  const parts: string[] = [];
  if (hit.location.page !== undefined) parts.push(`page ${hit.location.page}`);
  if (hit.location.row !== undefined) parts.push(`row ${hit.location.row}`);
  if (hit.location.headingPath?.length) parts.push(hit.location.headingPath.join(' › '));
  return parts.join(', ');
}

/** Type a question, see the best passages with matched words highlighted, their score and origin. */
export function SearchPlayground({ onOpen }: { onOpen: (hit: SearchHit) => void }) {
  const trpc = useTRPC();
  const [draft, setDraft] = useState('');
  const [query, setQuery] = useState('');
  const [type, setType] = useState<FileType | ''>('');
  const search = useQuery({
    ...trpc.knowledge.search.queryOptions({ query, limit: 10, ...(type ? { fileTypes: [type] } : {}) }),
    enabled: query.trim().length > 0,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setQuery(draft.trim());
  };
  return (
    <section className="card knowledge-search" aria-labelledby="knowledge-search-title">
      <h2 id="knowledge-search-title">Search playground</h2>
      <form className="knowledge-search-form" onSubmit={submit} role="search">
        <label htmlFor="knowledge-query" className="visually-hidden">
          Question
        </label>
        <input id="knowledge-query" type="search" placeholder="Ask what a customer would ask…" value={draft} onChange={(event) => setDraft(event.target.value)} />
        <label htmlFor="knowledge-type" className="visually-hidden">
          File type
        </label>
        <select id="knowledge-type" value={type} onChange={(event) => setType(event.target.value as FileType | '')}>
          <option value="">All types</option>
          {fileTypes.map((candidate) => (
            <option key={candidate} value={candidate}>
              {candidate}
            </option>
          ))}
        </select>
        <button type="submit">Search</button>
      </form>
      <p className="hint">Put a phrase in "quotes" to require it exactly; a product SKU on its own finds that product first.</p>
      <ErrorMessage error={search.error} />
      {search.isFetching && <p role="status">Searching…</p>}
      {search.data && search.data.length === 0 && <p>No passages match.</p>}
      {search.data && search.data.length > 0 && (
        <ol className="knowledge-hits" aria-label="Search results">
          {search.data.map((hit) => (
            <li key={hit.chunkId} className="knowledge-hit">
              <div className="knowledge-hit-meta">
                <strong>{hit.sourceName}</strong>
                {describeLocation(hit) && <span> · {describeLocation(hit)}</span>}
                <span className="hint"> · score {hit.score.toFixed(4)} · {hit.matchedBy.join(' + ')}</span>
              </div>
              <p className="knowledge-hit-text">{highlight(hit.text, hit.matchedTerms)}</p>
              <button type="button" className="secondary" onClick={() => onOpen(hit)}>
                Open source
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
