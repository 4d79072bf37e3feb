import { migration0001Settings } from './0001_settings.js';
import { migration0101Knowledge } from './0101_knowledge.js';
import { migration0102CatalogMappingConfirmed } from './0102_catalogMappingConfirmed.js';
import type { Migration } from './migration.js';
import { migration0200Sync } from './0200_sync.js';
import { migration0201Inbox } from './0201_inbox.js';
import { migration0202LiveInbox } from './0202_liveInbox.js';
import { migration0203InboxFacets } from './0203_inboxFacets.js';
import { migration0204InboxSearchSecureDelete } from './0204_inboxSearchSecureDelete.js';
import { migration0205InboxReadMarks } from './0205_inboxReadMarks.js';
import { migration0206InboxSearchWalk } from './0206_inboxSearchWalk.js';
import { migration0207ConversationActivityIndex } from './0207_conversationActivityIndex.js';
import { migration0208InboxSearchWithoutPositions } from './0208_inboxSearchWithoutPositions.js';
import { migration0209InboxMessagesByLogOrder } from './0209_inboxMessagesByLogOrder.js';
import { migration0210InboxSearchInBatches } from './0210_inboxSearchInBatches.js';
import { migration0300Agent } from './0300_agent.js';
import { migration0400Privacy } from './0400_privacy.js';

export type { Migration } from './migration.js';

/** Every migration of the tenant database; numbers follow the domain ranges in README.md beside this file. */
export const tenantMigrations: Migration[] = [migration0001Settings, migration0101Knowledge, migration0102CatalogMappingConfirmed, migration0200Sync, migration0201Inbox, migration0202LiveInbox, migration0203InboxFacets, migration0204InboxSearchSecureDelete, migration0205InboxReadMarks, migration0206InboxSearchWalk, migration0207ConversationActivityIndex, migration0208InboxSearchWithoutPositions, migration0209InboxMessagesByLogOrder, migration0210InboxSearchInBatches, migration0300Agent, migration0400Privacy];
