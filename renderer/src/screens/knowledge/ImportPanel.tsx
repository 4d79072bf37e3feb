import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useRef, useState, type DragEvent } from 'react';
import type { FileImportState, ImportJobState } from '../../../../shared/schemas/knowledge';
import { useTRPC } from '../../api/trpc';
import { ErrorMessage } from '../../components/ErrorMessage';
import { formatSize, maximumUploadBytes, pickedFiles, readAsBase64, type PickedFile } from './fileUpload';

/** Catalogs are named by their extension; their column mapping is worth a look right after import. */
function isCatalogName(name: string): boolean {
  return /\.(csv|tsv|xlsx|json)$/i.test(name);
}

const statusLabels: Record<FileImportState['status'], string> = {
  queued: 'Queued',
  reading: 'Reading',
  embedding: 'Embedding',
  done: 'Done',
  unchanged: 'Unchanged',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** Drag-and-drop or pick files and folders; every file shows its own status; the batch can be cancelled. */
export function ImportPanel({ onMapColumns }: { onMapColumns: (sourceId: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [job, setJob] = useState<ImportJobState | null>(null);
  const [dragging, setDragging] = useState(false);
  const cancelled = useRef(false);
  const createImport = useMutation(trpc.knowledge.createImport.mutationOptions());
  const upload = useMutation(trpc.knowledge.uploadImportFile.mutationOptions());
  const cancel = useMutation(trpc.knowledge.cancelImport.mutationOptions());

  useSubscription(
    trpc.knowledge.importProgress.subscriptionOptions(job ? { jobId: job.jobId } : { jobId: '-' }, {
      enabled: job !== null && !job.finished,
      onData: (state) => {
        setJob(state);
        if (state.finished) void queryClient.invalidateQueries({ queryKey: trpc.knowledge.pathKey() });
      },
    }),
  );

  const start = async (files: PickedFile[]) => {
    if (files.length === 0) return;
    cancelled.current = false;
    const created = await createImport.mutateAsync({ files: files.map((picked) => ({ name: picked.name, sizeBytes: picked.file.size })) });
    setJob(created);
    for (const [fileIndex, picked] of files.entries()) {
      if (cancelled.current) break;
      // Too big to send at all: the core still records the failure, with the limit, from an empty upload.
      const contentBase64 = picked.file.size > maximumUploadBytes ? '' : await readAsBase64(picked.file);
      await upload.mutateAsync({ jobId: created.jobId, fileIndex, contentBase64 }).catch(() => undefined);
    }
    void queryClient.invalidateQueries({ queryKey: trpc.knowledge.pathKey() });
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    void start(pickedFiles(event.dataTransfer.files));
  };

  const running = job !== null && !job.finished;
  const counts = job ? job.files.filter((file) => ['done', 'unchanged'].includes(file.status)).length : 0;
  return (
    <section className="card knowledge-import" aria-labelledby="knowledge-import-title">
      <h2 id="knowledge-import-title">Import documents and catalogs</h2>
      <div
        className={`knowledge-dropzone${dragging ? ' dragging' : ''}`}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="knowledge-dropzone"
      >
        <p>Drop files or folders here: PDF, DOCX, Markdown, HTML, text, and catalogs as CSV, XLSX or JSON.</p>
        <div className="actions">
          <label className="button-like">
            Choose files
            <input
              type="file"
              multiple
              aria-label="Choose files"
              className="visually-hidden"
              disabled={running}
              onChange={(event) => {
                if (event.target.files) void start(pickedFiles(event.target.files));
                event.target.value = '';
              }}
            />
          </label>
          <label className="button-like">
            Choose a folder
            <input
              type="file"
              multiple
              aria-label="Choose a folder"
              className="visually-hidden"
              disabled={running}
              {...{ webkitdirectory: '' }}
              onChange={(event) => {
                if (event.target.files) void start(pickedFiles(event.target.files));
                event.target.value = '';
              }}
            />
          </label>
        </div>
      </div>
      <ErrorMessage error={createImport.error} />
      {job && (
        <div className="knowledge-job">
          <p role="status">
            {running ? 'Importing…' : job.cancelled ? 'Import cancelled.' : 'Import finished.'} {counts} of {job.files.length} files ready.
          </p>
          {running && (
            <button
              type="button"
              className="secondary"
              onClick={() => {
                cancelled.current = true;
                cancel.mutate({ jobId: job.jobId });
              }}
            >
              Cancel import
            </button>
          )}
          <ul className="knowledge-file-list" aria-label="Files being imported">
            {job.files.map((file, index) => (
              <li key={index} className={`knowledge-file status-${file.status}`}>
                <span className="knowledge-file-name">{file.name}</span>
                <span className="knowledge-file-size">{formatSize(file.sizeBytes)}</span>
                <span className="badge" data-status={file.status}>
                  {statusLabels[file.status]}
                </span>
                {file.status === 'done' && <span className="hint">{file.chunkCount} chunks{file.productCount ? `, ${file.productCount} products` : ''}</span>}
                {file.status === 'done' && file.sourceId && isCatalogName(file.name) && (
                  <button type="button" className="secondary" aria-label={`Check the columns of ${file.name}`} onClick={() => onMapColumns(file.sourceId!)}>
                    Check columns
                  </button>
                )}
                {file.status === 'failed' && <span className="error">{file.errorMessage}</span>}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
