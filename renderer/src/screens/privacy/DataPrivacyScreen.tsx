import { CustomerRequestsCard } from './CustomerRequestsCard';
import { ExportCard } from './ExportCard';
import { RestoreTenantForm } from './RestoreTenantForm';
import { RetentionCard } from './RetentionCard';

/** Data & privacy: export and backup, restore into a new tenant, customer requests, retention. */
export function DataPrivacyScreen() {
  return (
    <div className="stack privacy-screen">
      <ExportCard />
      <RestoreTenantForm />
      <CustomerRequestsCard />
      <RetentionCard />
    </div>
  );
}
