import pg from 'pg'

// int8 ids and counts as numbers (they stay far below 2^53); numeric amounts as numbers for analytics.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v))
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v))

export function createPool(url: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max })
  // An idle client's error (a server restart) must not crash the process; the next query reports it.
  pool.on('error', () => {})
  return pool
}
