import { v7 } from 'uuid';

/**
 * A new id for an event or a message: a UUIDv7, whose first 48 bits are the time in milliseconds.
 * Every copy of the log (the relay's, each desktop's encrypted database) indexes events and
 * messages by id; ids that grow with time are appended at the end of those indexes instead of
 * landing on a random page each, so a commit writes (and, on the desktop, encrypts) fewer pages.
 * Ids name things; they are not secrets (access always goes through a token or a session).
 */
export function timeOrderedId(): string {
  return v7();
}
