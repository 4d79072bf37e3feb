import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { CustomerSummary } from '../../../../shared/schemas/portability';
import { useTRPC } from '../../api/trpc';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';

function download(fileName: string, mediaType: string, content: string) {
  const url = URL.createObjectURL(new Blob([content], { type: mediaType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function CustomerDetail({ customer, onGone }: { customer: CustomerSummary; onGone: (notice: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const record = useQuery(trpc.portability.customer.queryOptions({ customerId: customer.customerId }));
  const [displayName, setDisplayName] = useState(customer.displayName);
  const [confirm, setConfirm] = useState('');
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.portability.pathKey() });
  const exportFile = useMutation(trpc.portability.exportCustomer.mutationOptions({ onSuccess: (file) => download(file.fileName, file.mediaType, file.content) }));
  const correct = useMutation(trpc.portability.correctCustomer.mutationOptions({ onSuccess: () => void refresh().then(() => onGone('Corrected.')) }));
  const erase = useMutation(
    trpc.portability.eraseCustomer.mutationOptions({
      onSuccess: (result) => void refresh().then(() => onGone(`Erased ${result.conversations} conversations and ${result.messages} messages. The erasure is sent to the relay and your other desktops.`)),
    }),
  );
  const submitCorrection = (event: FormEvent) => {
    event.preventDefault();
    correct.mutate({ customerId: customer.customerId, displayName });
  };
  return (
    <div className="privacy-customer" aria-label={`Customer ${customer.displayName}`}>
      <h3>{customer.displayName}</h3>
      <p className="hint">
        {customer.channel ?? 'Unknown channel'} · {customer.conversationCount} conversation{customer.conversationCount === 1 ? '' : 's'} · {customer.messageCount} message{customer.messageCount === 1 ? '' : 's'}
      </p>
      <ErrorMessage error={record.error} />
      {record.data && (
        <ul className="privacy-messages" aria-label="Everything held about this customer">
          {record.data.conversations.flatMap((conversation) =>
            conversation.messages.map((message) => (
              <li key={`${conversation.conversationId}-${message.messageId}`} data-from={message.from}>
                <span className="hint">
                  {new Date(message.createdAt).toLocaleString()} · {message.from === 'customer' ? 'Customer' : 'Business'}
                </span>
                <span>{message.text}</span>
              </li>
            )),
          )}
        </ul>
      )}
      <div className="actions privacy-inline-actions">
        <button type="button" className="secondary" onClick={() => exportFile.mutate({ customerId: customer.customerId, format: 'json' })}>
          Export JSON
        </button>
        <button type="button" className="secondary" onClick={() => exportFile.mutate({ customerId: customer.customerId, format: 'csv' })}>
          Export CSV
        </button>
      </div>
      <ErrorMessage error={exportFile.error} />
      <form onSubmit={submitCorrection}>
        <Field label="Correct name" value={displayName} onChange={(e) => setDisplayName(e.target.value)} maxLength={120} />
        <ErrorMessage error={correct.error} />
        <div className="actions">
          <button type="submit" className="secondary" disabled={correct.isPending || displayName.trim() === customer.displayName}>
            Save correction
          </button>
        </div>
      </form>
      <form
        className="privacy-erase"
        onSubmit={(event) => {
          event.preventDefault();
          erase.mutate({ customerId: customer.customerId, confirm: confirm as 'ERASE' });
        }}
      >
        <Field label='Type "ERASE" to erase this customer' value={confirm} onChange={(e) => setConfirm(e.target.value)} autoComplete="off" />
        <ErrorMessage error={erase.error} />
        <div className="actions">
          <button type="submit" className="destructive" disabled={erase.isPending || confirm !== 'ERASE'}>
            Erase customer
          </button>
        </div>
      </form>
    </div>
  );
}

/**
 * The newest refusal by the relay of an erasure or correction made here (an agent's, or one queued
 * before the role changed): it was applied on this desktop only, and the user needs to know why.
 */
function RelayRefusal() {
  const trpc = useTRPC();
  const audit = useQuery(trpc.portability.audit.queryOptions());
  const refusal = audit.data?.find((entry) => entry.action === 'relay.refused');
  if (!refusal) return null;
  const what = refusal.detail.rejectedType === 'customer.erased' ? 'an erasure' : 'a correction';
  return (
    <p className="error" role="alert">
      {new Date(refusal.occurredAt).toLocaleString()}: the relay refused {what} made on this desktop: {String(refusal.detail.reason)} It was applied on this desktop only; the relay and
      your other desktops still hold the customer's data.
    </p>
  );
}

/** Find a customer, see everything held about them, export it, correct it or erase it. */
export function CustomerRequestsCard() {
  const trpc = useTRPC();
  const [query, setQuery] = useState('');
  const [submitted, setSubmitted] = useState<string | null>(null);
  const [selected, setSelected] = useState<CustomerSummary | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const customers = useQuery({ ...trpc.portability.findCustomers.queryOptions({ query: submitted ?? '' }), enabled: submitted !== null });
  return (
    <section className="card privacy-card" aria-labelledby="customers-title">
      <h2 id="customers-title">A customer's data</h2>
      <p className="hint">
        For access, correction and erasure requests. Staff names and private notes are never part of a customer's export. When this tenant syncs with a relay, only its owners and
        admins can correct or erase a customer; the change then reaches the relay and every other desktop.
      </p>
      <RelayRefusal />
      <form
        className="privacy-search"
        onSubmit={(event) => {
          event.preventDefault();
          setSelected(null);
          setNotice(null);
          setSubmitted(query);
        }}
      >
        <Field label="Find a customer" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Name, phone number, something they wrote" />
        <button type="submit">Find</button>
      </form>
      {notice && (
        <p className="success" role="status">
          {notice}
        </p>
      )}
      <ErrorMessage error={customers.error} />
      {customers.data && customers.data.length === 0 && <p className="hint">No customer matches.</p>}
      {customers.data && customers.data.length > 0 && !selected && (
        <ul className="privacy-customer-list">
          {customers.data.map((customer) => (
            <li key={customer.customerId}>
              <button type="button" className="tenant-button" onClick={() => setSelected(customer)}>
                <span className="tenant-name">{customer.displayName}</span>
                <span className="hint">
                  {customer.channel ?? ''} · {customer.conversationCount} conversations
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {selected && (
        <CustomerDetail
          key={selected.customerId}
          customer={selected}
          onGone={(message) => {
            setSelected(null);
            setNotice(message);
          }}
        />
      )}
    </section>
  );
}
