import { CustomerRequestsCard } from './CustomerRequestsCard';
import { ExportCard } from './ExportCard';
import { RestoreTenantForm } from './RestoreTenantForm';
import { RetentionCard } from './RetentionCard';
import { RelayPrivacyCard } from './RelayPrivacyCard';

/** Data & privacy: export and backup, restore into a new tenant, customer requests, retention here and on the relay. */
export function DataPrivacyScreen() {
  return (
    <div className="stack privacy-screen">
      <ExportCard />
      <RestoreTenantForm />
      <CustomerRequestsCard />
      <RetentionCard />
      <RelayPrivacyCard />
    </div>
  );
}
