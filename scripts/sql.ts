/**
 * Runs one SQL query against Accord's database (the server at DATABASE_URL or the embedded one, shared with a
 * running server) and prints the rows as JSON. For operators and tests: `tsx scripts/sql.ts "select count(*) from event"`.
 */
import { loadConfig } from '../src/config.ts'
import { openDatabase } from '../src/db/database.ts'

const query = process.argv[2]
if (!query) {
  process.stderr.write('usage: tsx scripts/sql.ts "<query>"\n')
  process.exit(1)
}
const config = loadConfig()
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 1 })
try {
  const result = await database.pool.query(query)
  process.stdout.write(`${JSON.stringify(result.rows)}\n`)
} finally {
  await database.close()
}
