import type { Migration } from './migration.js';

/**
 * Unread state that survives a full resync. A resync (a new epoch of the relay's log) deletes the
 * projections and applies the log again, so counting customer messages as they are inserted made
 * every conversation unread again. A read mark names the last customer message staff have read by
 * its message id, which the relay's log keeps across epochs (seq numbers do not); inserting that
 * message again resets the count, so only messages after it are unread. The inbox projector keeps
 * the marks across its reset; deleting a conversation (an erasure) deletes its mark.
 */
export const migration0205InboxReadMarks: Migration = {
  version: 205,
  name: 'inbox read marks',
  up(database) {
    database.exec(`
      create table inbox_read_marks (
        conversation_id text primary key,
        message_id text not null,
        read_at integer not null
      ) strict;
      -- What is read today stays read: the customer message just before the unread ones.
      insert into inbox_read_marks (conversation_id, message_id, read_at)
        select m.conversation_id, m.message_id, 0
        from (
          select conversation_id, message_id, row_number() over (partition by conversation_id order by seq is null, seq desc, created_at desc) - 1 as newer
          from inbox_messages where kind = 'customer'
        ) m
        join inbox_unread u on u.conversation_id = m.conversation_id
        where m.newer = u.unread_count;

      drop trigger inbox_messages_unread;
      create trigger inbox_messages_unread after insert on inbox_messages when new.kind = 'customer' begin
        insert into inbox_unread (conversation_id, unread_count)
          values (new.conversation_id, iif(exists (select 1 from inbox_read_marks r where r.conversation_id = new.conversation_id and r.message_id = new.message_id), 0, 1))
          on conflict (conversation_id) do update set unread_count = iif(excluded.unread_count = 0, 0, unread_count + 1);
      end;
      create trigger inbox_conversations_read_mark_delete after delete on inbox_conversations begin
        delete from inbox_read_marks where conversation_id = old.conversation_id;
      end;
    `);
  },
};
