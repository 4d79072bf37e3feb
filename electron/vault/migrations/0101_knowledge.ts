import type { Migration } from './migration.js';

/**
 * The knowledge base's durable store. Everything here sits inside the SQLCipher database, so
 * chunk text, vectors (text can be reconstructed from them) and original files are encrypted.
 */
export const migration0101Knowledge: Migration = {
  version: 101,
  name: 'knowledge',
  up(database) {
    database.exec(`
      create table knowledge_sources (
        id text primary key,
        name text not null unique,
        file_type text not null,
        size_bytes integer not null,
        content_hash text not null,
        chunk_count integer not null default 0,
        product_count integer not null default 0,
        column_mapping text,
        imported_at text not null,
        updated_at text not null
      ) strict;

      create table knowledge_originals (
        source_id text primary key references knowledge_sources (id) on delete cascade,
        content blob not null
      ) strict;

      create table knowledge_chunks (
        id integer primary key,
        source_id text not null references knowledge_sources (id) on delete cascade,
        ordinal integer not null,
        text text not null,
        location text not null,
        token_count integer not null,
        vector blob,
        model_id text,
        model_dimension integer,
        model_version text
      ) strict;
      create index knowledge_chunks_by_source on knowledge_chunks (source_id, ordinal);
      create index knowledge_chunks_by_model on knowledge_chunks (model_id, model_version);

      create table knowledge_products (
        id integer primary key,
        source_id text not null references knowledge_sources (id) on delete cascade,
        row_number integer not null,
        sku text,
        name text,
        description text,
        price real,
        currency text,
        stock integer,
        url text,
        attributes text not null
      ) strict;
      create index knowledge_products_by_source on knowledge_products (source_id, row_number);
      create index knowledge_products_by_sku on knowledge_products (sku collate nocase);
    `);
  },
};
