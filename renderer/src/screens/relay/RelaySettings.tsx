import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useState, type FormEvent } from 'react';
import { newerRelayStatus, type RelayStatus } from '../../../../shared/schemas/relaySync';
import { useTRPC } from '../../api/trpc';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { TeamSettings } from './TeamSettings';

const stateLabels: Record<string, string> = { online: 'Online', offline: 'Offline', syncing: 'Syncing…', accountClosed: 'Account closed on the relay', signedOut: 'Signed out by the relay' };
/** What to do once sync stopped for good (see syncStatusSchema). */
const stoppedAdvice: Record<string, string> = {
  accountClosed: 'This desktop keeps its own copy and has stopped syncing. Disconnect it from this relay, then connect to another relay account.',
  signedOut: 'This desktop keeps its own copy and has stopped syncing. Disconnect, then sign in again (an owner or admin can tell you why this device was signed out).',
};

/**
 * Shows a status from any path (a mutation's answer, the live stream, a refetch) unless a newer one
 * is already shown: the answer to "connect" can arrive after the live "Online" and would otherwise
 * leave a stale "Offline" on screen for good.
 */
function useStoreRelayStatus() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return (next: RelayStatus) => queryClient.setQueryData(trpc.sync.status.queryKey(), (current) => newerRelayStatus(current, next));
}

function ConnectForm() {
  const trpc = useTRPC();
  const store = useStoreRelayStatus();
  const [mode, setMode] = useState<'signIn' | 'register' | 'invitation'>('signIn');
  const [relayUrl, setRelayUrl] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [businessName, setBusinessName] = useState('');
  const [ownerName, setOwnerName] = useState('');
  const [inviteCode, setInviteCode] = useState('');
  const connect = useMutation(trpc.sync.connect.mutationOptions({ onSuccess: store }));
  const register = useMutation(trpc.sync.register.mutationOptions({ onSuccess: store }));
  const accept = useMutation(trpc.relayTeam.acceptInvitation.mutationOptions({ onSuccess: store }));
  const pending = connect.isPending || register.isPending || accept.isPending;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (mode === 'signIn') connect.mutate({ relayUrl, email, password });
    else if (mode === 'invitation') accept.mutate({ relayUrl, inviteCode, name: ownerName, password });
    else register.mutate({ relayUrl, email, password, businessName, ownerName });
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="relay-connect-title">
      <h2 id="relay-connect-title">Connect to a relay</h2>
      <p className="hint">
        The relay receives your customers' messages (web chat widget now, WhatsApp and Messenger later) and keeps every device of this business in step. Your
        knowledge base never leaves this computer.
      </p>
      <div className="relay-mode" role="radiogroup" aria-label="Account">
        <label>
          <input type="radio" name="relay-mode" checked={mode === 'signIn'} onChange={() => setMode('signIn')} /> I have a relay account
        </label>
        <label>
          <input type="radio" name="relay-mode" checked={mode === 'register'} onChange={() => setMode('register')} /> Create a relay account
        </label>
        <label>
          <input type="radio" name="relay-mode" checked={mode === 'invitation'} onChange={() => setMode('invitation')} /> I have an invitation
        </label>
      </div>
      <Field label="Relay address" type="url" placeholder="https://relay.example.com" value={relayUrl} onChange={(e) => setRelayUrl(e.target.value)} required />
      {mode === 'register' && (
        <>
          <Field label="Business name" value={businessName} onChange={(e) => setBusinessName(e.target.value)} required />
          <Field label="Your name" autoComplete="name" value={ownerName} onChange={(e) => setOwnerName(e.target.value)} required />
        </>
      )}
      {mode === 'invitation' && (
        <>
          <Field label="Invitation code" value={inviteCode} onChange={(e) => setInviteCode(e.target.value)} required />
          <Field label="Your name" autoComplete="name" value={ownerName} onChange={(e) => setOwnerName(e.target.value)} required />
        </>
      )}
      {mode !== 'invitation' && <Field label="Email" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required />}
      <Field
        label={mode === 'invitation' ? 'Choose a password' : 'Password'}
        type="password"
        autoComplete={mode === 'signIn' ? 'current-password' : 'new-password'}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        required
      />
      <ErrorMessage error={connect.error ?? register.error ?? accept.error} />
      <div className="actions">
        <button type="submit" disabled={pending}>
          {pending ? 'Connecting…' : mode === 'signIn' ? 'Connect' : mode === 'invitation' ? 'Join and connect' : 'Create account and connect'}
        </button>
      </div>
    </form>
  );
}

function ConnectionStatus({ status }: { status: Extract<RelayStatus, { connected: true }> }) {
  const trpc = useTRPC();
  const store = useStoreRelayStatus();
  const syncNow = useMutation(trpc.sync.syncNow.mutationOptions({ onSuccess: store }));
  const disconnect = useMutation(trpc.sync.disconnect.mutationOptions({ onSuccess: store }));
  const { sync } = status;
  const stopped = sync.state in stoppedAdvice;
  return (
    <div className="stack">
      <section className="card" aria-labelledby="relay-status-title">
        <h2 id="relay-status-title">Relay connection</h2>
        <dl className="relay-facts">
          <dt>Relay</dt>
          <dd>{status.relayUrl}</dd>
          <dt>Signed in as</dt>
          <dd>
            {status.operatorName} ({status.role}) for {status.tenantName}
          </dd>
          <dt>Sync</dt>
          <dd>
            <span className="sync-state" data-state={sync.state} role="status" aria-label="Sync state">
              {stateLabels[sync.state]}
            </span>
          </dd>
          {sync.catchUp && (
            <>
              <dt>Catching up</dt>
              <dd className="catch-up">
                <span>
                  {sync.catchUp.remaining.toLocaleString()} of {sync.catchUp.total.toLocaleString()} events to go
                </span>
                <progress value={sync.catchUp.total - sync.catchUp.remaining} max={sync.catchUp.total} aria-label="Catch-up progress" />
              </dd>
            </>
          )}
          <dt>Waiting to send</dt>
          <dd aria-label="Pending outbox">{sync.pendingOutbox}</dd>
          <dt>Last synced</dt>
          <dd aria-label="Last synced">{sync.lastSyncedAt ? new Date(sync.lastSyncedAt).toLocaleString() : 'Not yet'}</dd>
        </dl>
        {stopped ? (
          <p className="error" role="alert">
            {sync.lastError} {stoppedAdvice[sync.state]}
          </p>
        ) : (
          sync.lastError && <p className="hint">Last problem: {sync.lastError}</p>
        )}
        <ErrorMessage error={syncNow.error ?? disconnect.error} />
        <div className="actions">
          {!stopped && (
            <button type="button" className="secondary" onClick={() => syncNow.mutate()} disabled={syncNow.isPending}>
              Sync now
            </button>
          )}
          <button type="button" className={stopped ? undefined : 'secondary'} onClick={() => disconnect.mutate()} disabled={disconnect.isPending}>
            Disconnect
          </button>
        </div>
      </section>
      <section className="card" aria-labelledby="widget-title">
        <h2 id="widget-title">Web chat widget</h2>
        <p className="hint">Paste this into your website's HTML, just before the closing body tag.</p>
        <textarea className="snippet" readOnly aria-label="Widget snippet" value={status.widgetSnippet} rows={3} onFocus={(e) => e.target.select()} />
      </section>
      <TeamSettings role={status.role} />
    </div>
  );
}

/** Relay connection settings with the live sync state. All syncing happens in the core. */
export function RelaySettings() {
  const trpc = useTRPC();
  const store = useStoreRelayStatus();
  // A fetched status that was overtaken by the live stream does not replace it either.
  const status = useQuery(trpc.sync.status.queryOptions(undefined, { structuralSharing: (current, next) => newerRelayStatus(current as RelayStatus | undefined, next as RelayStatus) }));
  useSubscription(trpc.sync.onStatus.subscriptionOptions(undefined, { onData: store }));
  if (status.isPending) return <p className="hint">Loading…</p>;
  if (status.isError) return <ErrorMessage error={status.error} />;
  return status.data.connected ? <ConnectionStatus status={status.data} /> : <ConnectForm />;
}
