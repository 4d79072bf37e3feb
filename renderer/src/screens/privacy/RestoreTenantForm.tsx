import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { measurePassphrase } from '../../../../shared/passphraseStrength';
import { useTRPC } from '../../api/trpc';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { PassphraseMeter } from '../../components/PassphraseMeter';
import { JobProgress } from './JobProgress';
import { describeCounts, useJob } from './useJob';

/**
 * Restores an export or an encrypted backup into a NEW tenant. Used on the Data & privacy screen
 * and, through RestoreTenantEntry, from the tenant picker.
 */
export function RestoreTenantForm({ onCancel, onRestored }: { onCancel?: () => void; onRestored?: (tenantName: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [source, setSource] = useState('');
  const [tenantName, setTenantName] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [backupPassphrase, setBackupPassphrase] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const start = useMutation(trpc.portability.startRestore.mutationOptions({ onSuccess: ({ jobId: started }) => setJobId(started) }));
  const job = useJob(jobId);
  const needsBackupPassphrase = job.data?.error?.code === 'BACKUP_PASSPHRASE_REQUIRED' || job.data?.error?.code === 'WRONG_BACKUP_PASSPHRASE' || backupPassphrase !== '';

  const finished = job.data?.status === 'done' ? job.data.result?.tenantName : undefined;
  const reported = useRef<string | null>(null);
  useEffect(() => {
    if (!finished || reported.current === finished) return;
    reported.current = finished;
    void queryClient.invalidateQueries({ queryKey: trpc.vault.listTenants.queryKey() });
    onRestored?.(finished);
  }, [finished, onRestored, queryClient, trpc]);

  const running = job.data?.status === 'running' || start.isPending;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    if (!source.trim()) return setFormError('Enter the path of the archive or backup.');
    if (!tenantName.trim()) return setFormError('Enter a name for the new tenant.');
    if (!measurePassphrase(passphrase, [tenantName]).acceptable) return setFormError('Choose a stronger passphrase for the new tenant.');
    if (passphrase !== confirmation) return setFormError('The two passphrases are different.');
    setJobId(null);
    start.mutate({ source, tenantName, passphrase, ...(backupPassphrase ? { backupPassphrase } : {}) });
  };

  return (
    <form className="card privacy-card" onSubmit={submit} aria-labelledby="restore-title">
      <h2 id="restore-title">Restore into a new tenant</h2>
      <p className="hint">Imports an Ares export (.zip) or encrypted backup as a new tenant with its own passphrase. A damaged or changed file is refused and nothing is left behind.</p>
      <Field label="Archive or backup file" value={source} onChange={(e) => setSource(e.target.value)} placeholder="/home/me/Downloads/acme-2025-01-31.zip" />
      {needsBackupPassphrase && <Field label="Backup passphrase" type="password" autoComplete="off" value={backupPassphrase} onChange={(e) => setBackupPassphrase(e.target.value)} />}
      <Field label="New tenant name" value={tenantName} onChange={(e) => setTenantName(e.target.value)} maxLength={120} />
      <Field
        label="New tenant passphrase"
        type="password"
        autoComplete="new-password"
        value={passphrase}
        onChange={(e) => setPassphrase(e.target.value)}
        hint={<PassphraseMeter passphrase={passphrase} userInputs={[tenantName]} />}
      />
      <Field label="Confirm new tenant passphrase" type="password" autoComplete="new-password" value={confirmation} onChange={(e) => setConfirmation(e.target.value)} />
      {formError && (
        <p className="error" role="alert">
          {formError}
        </p>
      )}
      <ErrorMessage error={start.error} />
      {job.data && job.data.status === 'running' && <JobProgress job={job.data} label="Restore progress" />}
      {job.data?.error && (
        <p className="error" role="alert">
          {job.data.error.message}
        </p>
      )}
      {finished && (
        <p className="success" role="status">
          Restored into the new tenant "{finished}": {describeCounts(job.data?.result?.counts ?? {})}.
        </p>
      )}
      <div className="actions">
        {onCancel && (
          <button type="button" className="secondary" onClick={onCancel}>
            {finished ? 'Done' : 'Cancel'}
          </button>
        )}
        <button type="submit" disabled={running}>
          {running ? 'Restoring…' : 'Restore'}
        </button>
      </div>
    </form>
  );
}

/** The tenant picker's entry point: a button that opens the restore form in place of the list. */
export function RestoreTenantEntry({ onOpen }: { onOpen: () => void }) {
  return (
    <button type="button" className="secondary" onClick={onOpen}>
      Restore from an export or backup
    </button>
  );
}
