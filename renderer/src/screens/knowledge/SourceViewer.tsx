import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTRPC } from '../../api/trpc';
import { ErrorMessage } from '../../components/ErrorMessage';
import { describeLocation, highlight } from './SearchPlayground';

/** A source's passages in order, scrolled to (and marking) the one a search hit came from. */
export function SourceViewer({ sourceId, chunkId, terms, onClose }: { sourceId: string; chunkId: number | null; terms: string[]; onClose: () => void }) {
  const trpc = useTRPC();
  const detail = useQuery(trpc.knowledge.sourceDetail.queryOptions({ sourceId }));
  const target = useRef<HTMLLIElement>(null);
  useEffect(() => {
    target.current?.scrollIntoView({ block: 'center' });
  }, [detail.data, chunkId]);
  return (
    <section className="card knowledge-viewer" aria-labelledby="knowledge-viewer-title">
      <div className="knowledge-viewer-header">
        <h2 id="knowledge-viewer-title">{detail.data?.source.name ?? 'Source'}</h2>
        <button type="button" className="secondary" onClick={onClose}>
          Close
        </button>
      </div>
      <ErrorMessage error={detail.error} />
      <ol className="knowledge-viewer-chunks">
        {detail.data?.chunks.map((chunk) => (
          <li key={chunk.id} ref={chunk.id === chunkId ? target : undefined} className={chunk.id === chunkId ? 'current' : undefined} aria-current={chunk.id === chunkId ? 'location' : undefined}>
            {describeLocation(chunk) && <div className="hint">{describeLocation(chunk)}</div>}
            <p>{chunk.id === chunkId ? highlight(chunk.text, terms) : chunk.text}</p>
          </li>
        ))}
      </ol>
    </section>
  );
}
