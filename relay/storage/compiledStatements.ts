import type Database from 'better-sqlite3';

/**
 * Prepares each SQL text once per connection and hands back the same statement afterwards: the
 * relay runs the same few small statements for every request, and compiling costs more than
 * running them.
 */
export function compiledStatements(database: Database.Database): (sql: string) => Database.Statement {
  const compiled = new Map<string, Database.Statement>();
  return (sql) => {
    let statement = compiled.get(sql);
    if (!statement) {
      statement = database.prepare(sql);
      compiled.set(sql, statement);
    }
    return statement;
  };
}
