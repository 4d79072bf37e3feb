import { CustomerRequestsCard } from './CustomerRequestsCard';
import { ExportCard } from './ExportCard';
import { PrivacyLogCard } from './PrivacyLogCard';
import { RestoreTenantForm } from './RestoreTenantForm';
import { RetentionCard } from './RetentionCard';
import { RelayPrivacyCard } from './RelayPrivacyCard';

/** Data & privacy: export and backup, restore into a new tenant, customer requests, retention here and on the relay, the privacy log. */
export function DataPrivacyScreen() {
  return (
    <div className="stack privacy-screen">
      <ExportCard />
      <RestoreTenantForm />
      <CustomerRequestsCard />
      <RetentionCard />
      <RelayPrivacyCard />
      <PrivacyLogCard />
    </div>
  );
}
