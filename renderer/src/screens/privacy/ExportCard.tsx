import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../../api/trpc';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { useDraft } from '../../hooks/useDraft';
import { JobProgress } from './JobProgress';
import { describeCounts, formatBytes, useJob } from './useJob';

/** Export everything as a .zip, or as an encrypted backup sealed with its own passphrase. */
export function ExportCard() {
  const trpc = useTRPC();
  const suggested = useQuery(trpc.portability.suggestedExportPath.queryOptions());
  const [encrypt, setEncrypt] = useState(false);
  const [backupPassphrase, setBackupPassphrase] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [includeVectors, setIncludeVectors] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const start = useMutation(trpc.portability.startExport.mutationOptions({ onSuccess: ({ jobId: started }) => setJobId(started) }));
  const cancel = useMutation(trpc.portability.cancelJob.mutationOptions());
  const job = useJob(jobId);

  const suggestion = suggested.data ? (encrypt ? suggested.data.backup : suggested.data.archive) : '';
  const [destination, setDestination] = useDraft(suggestion);

  const running = job.data?.status === 'running' || start.isPending;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    if (encrypt && backupPassphrase.length < 12) return setFormError('Use a backup passphrase of at least 12 characters.');
    if (encrypt && backupPassphrase !== confirmation) return setFormError('The two backup passphrases are different.');
    setJobId(null);
    start.mutate({ destination, includeVectors, ...(encrypt ? { backupPassphrase } : {}) });
  };

  return (
    <form className="card privacy-card" onSubmit={submit} aria-labelledby="export-title">
      <h2 id="export-title">Export all data</h2>
      <p className="hint">One .zip with every conversation, customer, document, product and setting, readable without Ares (JSON Lines, CSV and the original files, explained in README.txt).</p>
      <div className="field checkbox">
        <label>
          <input type="checkbox" checked={encrypt} onChange={(e) => setEncrypt(e.target.checked)} />
          Encrypted backup (sealed with a passphrase, for moving to another computer)
        </label>
      </div>
      <Field label="Save to" value={destination} onChange={(e) => setDestination(e.target.value)} hint={<p className="hint">A full path on this computer. An existing file is never overwritten.</p>} />
      {encrypt && (
        <>
          <Field label="Backup passphrase" type="password" autoComplete="new-password" value={backupPassphrase} onChange={(e) => setBackupPassphrase(e.target.value)} />
          <Field label="Confirm backup passphrase" type="password" autoComplete="new-password" value={confirmation} onChange={(e) => setConfirmation(e.target.value)} />
        </>
      )}
      <div className="field checkbox">
        <label>
          <input type="checkbox" checked={includeVectors} onChange={(e) => setIncludeVectors(e.target.checked)} />
          Include embedding vectors (larger; they can be recomputed)
        </label>
      </div>
      {formError && (
        <p className="error" role="alert">
          {formError}
        </p>
      )}
      <ErrorMessage error={start.error} />
      {job.data && <JobProgress job={job.data} label="Export progress" />}
      {job.data?.status === 'done' && job.data.result && (
        <p className="success" role="status">
          Exported to {job.data.result.path} ({formatBytes(job.data.result.bytes ?? 0)}): {describeCounts(job.data.result.counts)}.
        </p>
      )}
      {job.data?.error && (
        <p className="error" role="alert">
          {job.data.error.message}
        </p>
      )}
      <div className="actions">
        {running && jobId && (
          <button type="button" className="secondary" onClick={() => cancel.mutate({ jobId })}>
            Cancel export
          </button>
        )}
        <button type="submit" disabled={running || !destination}>
          {running ? 'Exporting…' : encrypt ? 'Export encrypted backup' : 'Export'}
        </button>
      </div>
    </form>
  );
}
