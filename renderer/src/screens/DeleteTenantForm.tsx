import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../api/trpc';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';

/** Deleting cannot be undone, so it asks for the typed name and the passphrase. */
export function DeleteTenantForm({ tenantName, onDone }: { tenantName: string; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirmName, setConfirmName] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const remove = useMutation(
    trpc.vault.deleteTenant.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries();
        onDone();
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    remove.mutate({ name: tenantName, confirmName, passphrase });
  };
  return (
    <form className="card danger" onSubmit={submit} aria-labelledby="delete-title">
      <h2 id="delete-title">Delete {tenantName}</h2>
      <p>
        This destroys the tenant's keys and then all its files on this device: knowledge, conversations and settings. It cannot be
        undone.
      </p>
      <Field label={`Type "${tenantName}" to confirm`} value={confirmName} onChange={(e) => setConfirmName(e.target.value)} autoFocus />
      <Field label="Passphrase" type="password" autoComplete="current-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
      <ErrorMessage error={remove.error} />
      <div className="actions">
        <button type="button" className="secondary" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="destructive" disabled={remove.isPending || confirmName.trim() !== tenantName || !passphrase}>
          {remove.isPending ? 'Deleting…' : 'Delete forever'}
        </button>
      </div>
    </form>
  );
}
