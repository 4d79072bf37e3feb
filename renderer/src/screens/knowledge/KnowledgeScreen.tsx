import { useState } from 'react';
import type { SearchHit } from '../../../../shared/schemas/knowledge';
import { CatalogMappingPanel } from './CatalogMappingPanel';
import { ImportPanel } from './ImportPanel';
import { ModelPanel } from './ModelPanel';
import { SearchPlayground } from './SearchPlayground';
import { SourcesTable } from './SourcesTable';
import { SourceViewer } from './SourceViewer';

/** The knowledge base: model status, import (with a catalog's column mapping to check), sources, and a search playground that opens sources. */
export function KnowledgeScreen() {
  const [opened, setOpened] = useState<{ sourceId: string; chunkId: number | null; terms: string[] } | null>(null);
  const [mappingSourceId, setMappingSourceId] = useState<string | null>(null);
  const openHit = (hit: SearchHit) => setOpened({ sourceId: hit.sourceId, chunkId: hit.chunkId, terms: hit.matchedTerms });
  return (
    <div className="stack knowledge-screen">
      <ModelPanel />
      <ImportPanel onMapColumns={setMappingSourceId} />
      {mappingSourceId && <CatalogMappingPanel key={mappingSourceId} sourceId={mappingSourceId} onClose={() => setMappingSourceId(null)} />}
      <SearchPlayground onOpen={openHit} />
      {opened && <SourceViewer sourceId={opened.sourceId} chunkId={opened.chunkId} terms={opened.terms} onClose={() => setOpened(null)} />}
      <SourcesTable onOpen={(sourceId) => setOpened({ sourceId, chunkId: null, terms: [] })} onMapColumns={setMappingSourceId} />
    </div>
  );
}
