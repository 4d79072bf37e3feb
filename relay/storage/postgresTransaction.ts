import type pg from 'pg';

/**
 * Runs `work` in one transaction on a client of the pool: commit when it resolves, rollback when
 * anything throws (a failed rollback must not hide the first error), and the client goes back to
 * the pool either way. `beginSql` may carry a first statement in the same round trip as `begin`
 * (the log append locks its counter row that way); `work` gets the results of those statements.
 */
export async function inPostgresTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient, begun: pg.QueryResult[]) => Promise<T>, beginSql = 'begin'): Promise<T> {
  const client = await pool.connect();
  try {
    const begun = (await client.query(beginSql)) as pg.QueryResult | pg.QueryResult[];
    const result = await work(client, Array.isArray(begun) ? begun : [begun]);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
