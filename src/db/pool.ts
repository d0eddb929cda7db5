import pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'

// int8 ids and counts as numbers (they stay far below 2^53); numeric amounts as numbers for analytics.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v))
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v))

/**
 * `copy <table> (<columns>) from stdin $1`, its one parameter the rows in COPY's text format: how a statement written
 * with Kysely's `sql` streams rows with COPY on the connection it runs on — inside the caller's transaction.
 */
const COPY_FROM_PARAMETER = /^\s*copy\s[^;]*\sfrom\s+stdin\s+\$1\s*$/i

/** A pg client that also runs `copy … from stdin $1` (see above); every other query is pg's own. */
class CopyingClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: pg's query has a dozen overloads; this passes them through untouched.
  override query(...args: any[]): any {
    const [text, values, callback] = args
    if (
      typeof text === 'string' &&
      callback === undefined &&
      Array.isArray(values) &&
      values.length === 1 &&
      typeof values[0] === 'string' &&
      COPY_FROM_PARAMETER.test(text)
    ) {
      return copyIn(this, text.replace(/\s*\$1\s*$/, ''), values[0])
    }
    // biome-ignore lint/suspicious/noExplicitAny: see above.
    return (super.query as (...a: any[]) => any)(...args)
  }
}

/** Streams `data` through `copy … from stdin`; resolves like a query, with the number of rows copied. */
function copyIn(client: pg.Client, statement: string, data: string): Promise<pg.QueryResult> {
  return new Promise((resolve, reject) => {
    const stream = client.query(copyFrom(statement))
    stream.on('error', reject)
    stream.on('finish', () =>
      resolve({ command: 'COPY', rowCount: stream.rowCount, rows: [], fields: [], oid: 0 } as pg.QueryResult),
    )
    stream.end(data)
  })
}

export function createPool(url: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, Client: CopyingClient })
  // An idle client's error (a server restart) must not crash the process; the next query reports it.
  pool.on('error', () => {})
  return pool
}
