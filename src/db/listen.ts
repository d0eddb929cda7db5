/**
 * A dedicated connection that LISTENs on PostgreSQL channels: the workers' wake-up call when another transaction
 * (in this process or any other) commits an outbox row or a timer. LISTEN needs a session of its own — a pooled
 * connection would hand it to other queries — so this holds one `pg.Client` for its lifetime.
 *
 * What must stay true: a notification is only a hint. PostgreSQL drops those sent while this session is down, so
 * after a reconnect every channel is reported once (the listener cannot know what it missed), and callers keep a
 * slow poll as well.
 */
import pg from 'pg'
import type { Logger } from '../context.ts'

const FIRST_RETRY_MS = 1_000
const MAX_RETRY_MS = 30_000

export class NotificationListener {
  readonly #url: string
  readonly #channels: readonly string[]
  readonly #onNotify: (channel: string) => void
  readonly #logger: Logger
  #client: pg.Client | null = null
  #closed = false
  #retryMs = FIRST_RETRY_MS
  #retry: NodeJS.Timeout | null = null

  /**
   * @example const l = new NotificationListener(url, ['accord_outbox'], (ch) => wake(ch), logger); await l.start()
   * Channels are identifiers of our own (`[a-z_]+`), never input.
   */
  constructor(url: string, channels: readonly string[], onNotify: (channel: string) => void, logger: Logger) {
    for (const c of channels) if (!/^[a-z_]+$/.test(c)) throw new Error(`channel: expected [a-z_]+, got "${c}"`)
    this.#url = url
    this.#channels = channels
    this.#onNotify = onNotify
    this.#logger = logger
  }

  get listening(): boolean {
    return this.#client !== null
  }

  /** Connects and listens. Resolves true once listening, false after a failed first try (retries continue). */
  start(): Promise<boolean> {
    return this.#connect(false)
  }

  async close(): Promise<void> {
    this.#closed = true
    if (this.#retry) clearTimeout(this.#retry)
    this.#retry = null
    const client = this.#client
    this.#client = null
    await client?.end().catch(() => {})
  }

  async #connect(reconnect: boolean): Promise<boolean> {
    if (this.#closed) return false
    const client = new pg.Client({ connectionString: this.#url })
    client.on('notification', (m) => this.#onNotify(m.channel))
    client.on('error', (e) => {
      this.#logger.warn({ err: e }, 'notification listener: connection lost; workers poll until it is back')
      this.#lost(client)
    })
    client.on('end', () => this.#lost(client))
    try {
      await client.connect()
      for (const channel of this.#channels) await client.query(`listen ${channel}`)
    } catch (e) {
      this.#logger.warn({ err: e }, 'notification listener: cannot listen; workers poll until it can')
      await client.end().catch(() => {})
      this.#scheduleRetry()
      return false
    }
    if (this.#closed) {
      await client.end().catch(() => {})
      return false
    }
    this.#client = client
    this.#retryMs = FIRST_RETRY_MS
    if (reconnect) for (const channel of this.#channels) this.#onNotify(channel)
    return true
  }

  #lost(client: pg.Client): void {
    if (this.#client !== client) return
    this.#client = null
    this.#scheduleRetry()
  }

  #scheduleRetry(): void {
    if (this.#closed || this.#retry) return
    this.#retry = setTimeout(() => {
      this.#retry = null
      void this.#connect(true)
    }, this.#retryMs)
    this.#retryMs = Math.min(this.#retryMs * 2, MAX_RETRY_MS)
  }
}
