import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { TenantSummary } from '../../../shared/schemas/tenant';
import { useTRPC } from '../api/trpc';
import { ErrorMessage } from '../components/ErrorMessage';
import { CreateTenantForm } from './CreateTenantForm';
import { DeleteTenantForm } from './DeleteTenantForm';
import { RestoreTenantEntry, RestoreTenantForm } from './privacy/RestoreTenantForm';
import { UnlockForm } from './UnlockForm';

type PickerView = { kind: 'list' } | { kind: 'create' } | { kind: 'restore' } | { kind: 'unlock'; tenant: TenantSummary } | { kind: 'delete'; tenantName: string };

export function TenantPicker({ notice }: { notice?: string | null }) {
  const trpc = useTRPC();
  const tenants = useQuery(trpc.vault.listTenants.queryOptions());
  const [view, setView] = useState<PickerView>({ kind: 'list' });
  const backToList = () => setView({ kind: 'list' });

  let content;
  if (tenants.isPending) content = <p className="hint">Loading tenants…</p>;
  else if (tenants.isError) content = <ErrorMessage error={tenants.error} />;
  else if (view.kind === 'restore') content = <RestoreTenantForm onCancel={backToList} onRestored={backToList} />;
  else if (view.kind === 'create' || tenants.data.length === 0) {
    content = (
      <>
        <CreateTenantForm {...(tenants.data.length > 0 ? { onCancel: backToList } : {})} />
        {/* On a new computer, restoring a backup is the usual first step. */}
        <RestoreTenantEntry onOpen={() => setView({ kind: 'restore' })} />
      </>
    );
  } else if (view.kind === 'unlock') content = <UnlockForm tenant={view.tenant} onBack={backToList} />;
  else if (view.kind === 'delete') content = <DeleteTenantForm tenantName={view.tenantName} onDone={backToList} />;
  else {
    content = (
      <section className="card" aria-labelledby="picker-title">
        <h2 id="picker-title">Choose a tenant</h2>
        <ul className="tenant-list">
          {tenants.data.map((tenant) => (
            <li key={tenant.name}>
              <button type="button" className="tenant-button" onClick={() => setView({ kind: 'unlock', tenant })}>
                <span className="tenant-name">{tenant.name}</span>
                {tenant.rememberedOnDevice && <span className="badge">Remembered</span>}
              </button>
              <button type="button" className="link destructive-link" aria-label={`Delete ${tenant.name}`} onClick={() => setView({ kind: 'delete', tenantName: tenant.name })}>
                Delete
              </button>
            </li>
          ))}
        </ul>
        <div className="actions">
          <RestoreTenantEntry onOpen={() => setView({ kind: 'restore' })} />
          <button type="button" onClick={() => setView({ kind: 'create' })}>
            Create a tenant
          </button>
        </div>
      </section>
    );
  }

  return (
    <main className="picker">
      <header className="brand">
        <h1>Ares Desktop</h1>
        <p>Your AI support agent's console. Everything stays encrypted on this computer.</p>
      </header>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {content}
    </main>
  );
}
