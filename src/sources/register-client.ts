import { Pool, interceptors, errors as undiciErrors, type Dispatcher } from 'undici'
import {
  UpstreamBadResponse,
  UpstreamTimeout,
  UpstreamUnavailable
} from '../gateway/errors.js'
import type { SourceName } from './types.js'

export interface RegisterClientOptions {
  name: SourceName
  /** Base URL of the register, e.g. `http://127.0.0.1:8081`. */
  baseUrl: string
  /** Time allowed to open a TCP connection, in milliseconds. */
  connectTimeoutMs: number
  /** Time allowed between sending the request and receiving headers, in milliseconds. */
  headersTimeoutMs: number
  /** Longest gap allowed between two body chunks, in milliseconds. */
  bodyTimeoutMs: number
  /** Time allowed for one call including its retries and the whole body, in milliseconds. */
  deadlineMs: number
  /** Extra attempts for a read that failed on a connection error or a 5xx/429. */
  retries: number
  /** Keep-alive connections to this register. */
  connections: number
}

/** A register's answer to one read: its record, or `undefined` when it holds none. */
export type RegisterAnswer<T> = T | undefined

type ErrorCtor = new (source: string, opts: { cause: unknown }) => Error

const UNREACHABLE = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH',
  'EAI_AGAIN', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_DESTROYED'
])
const SLOW = new Set([
  'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'
])

/**
 * One keep-alive pool to one register. Reads are retried by undici's retry interceptor
 * on connection errors and 5xx/429 answers, honouring `Retry-After`; the whole call,
 * retries and body included, is cut at `deadlineMs`, because undici's body timeout only
 * bounds the gap between chunks and a register that drips its answer would otherwise
 * hold the request for as long as it likes.
 */
export class RegisterClient {
  readonly name: SourceName
  readonly #pool: Pool
  readonly #dispatcher: Dispatcher
  readonly #deadlineMs: number

  constructor (opts: RegisterClientOptions) {
    this.name = opts.name
    this.#deadlineMs = opts.deadlineMs
    this.#pool = new Pool(opts.baseUrl, {
      connections: opts.connections,
      connect: { timeout: opts.connectTimeoutMs },
      headersTimeout: opts.headersTimeoutMs,
      bodyTimeout: opts.bodyTimeoutMs
    })
    this.#dispatcher = this.#pool.compose(interceptors.retry({
      maxRetries: opts.retries,
      minTimeout: 50,
      maxTimeout: Math.floor(opts.deadlineMs / 2),
      timeoutFactor: 2,
      statusCodes: [500, 502, 503, 504, 429]
    }))
  }

  /** GET a JSON record; `undefined` when the register answers 404. */
  async get<T> (path: string): Promise<RegisterAnswer<T>> {
    return await this.#call<T>({ method: 'GET', path })
  }

  /** POST a read-only query (a search): retried like a GET because it changes nothing. */
  async query<T> (path: string, body: unknown): Promise<T> {
    const answer = await this.#call<T>({
      method: 'POST',
      path,
      body: JSON.stringify(body),
      retryOptions: { methods: ['POST'] }
    })
    if (answer === undefined) {
      throw new UpstreamBadResponse(this.name, { cause: new Error('404 on a query') })
    }
    return answer
  }

  /** True when the register's health endpoint answers 2xx within the deadline. */
  async ping (): Promise<boolean> {
    try {
      const res = await this.#pool.request({
        method: 'GET',
        path: '/healthz',
        signal: AbortSignal.timeout(this.#deadlineMs)
      })
      await res.body.dump()
      return res.statusCode >= 200 && res.statusCode < 300
    } catch {
      return false
    }
  }

  async close (): Promise<void> {
    await this.#pool.close()
  }

  async #call<T> (req: {
    method: 'GET' | 'POST'
    path: string
    body?: string
    retryOptions?: { methods: Dispatcher.HttpMethod[] }
  }): Promise<RegisterAnswer<T>> {
    let res: Dispatcher.ResponseData
    const signal = AbortSignal.timeout(this.#deadlineMs)
    try {
      res = await this.#dispatcher.request({
        ...req,
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        signal
      } as Dispatcher.RequestOptions)
      return await this.#read<T>(res)
    } catch (err) {
      throw this.#translate(err, signal)
    }
  }

  async #read<T> (res: Dispatcher.ResponseData): Promise<RegisterAnswer<T>> {
    if (res.statusCode === 404) {
      await res.body.dump()
      return undefined
    }
    if (res.statusCode !== 200) {
      await res.body.dump()
      throw new UpstreamBadResponse(this.name, {
        cause: new Error(`unexpected status ${res.statusCode}`)
      })
    }
    const text = await res.body.text()
    try {
      return JSON.parse(text) as T
    } catch {
      // V8's parse error quotes the text around the fault, which for a register is
      // personal data: the cause that reaches the logs says only what went wrong.
      throw new UpstreamBadResponse(this.name, { cause: new Error('body is not JSON') })
    }
  }

  #translate (err: unknown, signal: AbortSignal): Error {
    if (isGatewayError(err)) return err
    if (signal.aborted || isTimeout(err)) return this.#wrap(UpstreamTimeout, err)
    if (err instanceof undiciErrors.RequestRetryError) {
      const status = err.statusCode
      if (status === 503 || status === 429) return this.#wrap(UpstreamUnavailable, err)
      if (status === 504) return this.#wrap(UpstreamTimeout, err)
      return this.#wrap(UpstreamBadResponse, err)
    }
    const code = (err as { code?: string }).code ?? ''
    if (UNREACHABLE.has(code)) return this.#wrap(UpstreamUnavailable, err)
    return this.#wrap(UpstreamBadResponse, err)
  }

  #wrap (Ctor: ErrorCtor, cause: unknown): Error {
    return new Ctor(this.name, { cause })
  }
}

function isTimeout (err: unknown): boolean {
  const e = err as { name?: string, code?: string }
  return e?.name === 'TimeoutError' || SLOW.has(e?.code ?? '')
}

function isGatewayError (err: unknown): err is Error {
  const code = (err as { code?: string })?.code
  return code === 'UPSTREAM_BAD_RESPONSE' || code === 'UPSTREAM_TIMEOUT' ||
    code === 'UPSTREAM_UNAVAILABLE'
}
