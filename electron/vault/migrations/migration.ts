import type Database from 'better-sqlite3-multiple-ciphers';

/** One numbered schema step. Never edit a released migration: add the next number. */
export interface Migration {
  version: number;
  name: string;
  up(database: Database.Database): void;
}
