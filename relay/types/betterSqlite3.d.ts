// better-sqlite3 ships no types; its fork better-sqlite3-multiple-ciphers (already a dependency)
// has the same API and bundles them, so the relay borrows those instead of adding @types.
declare module 'better-sqlite3' {
  import Database from 'better-sqlite3-multiple-ciphers';
  export = Database;
}
