import type { ReadableSource } from '@sluice/compose'
import type { LineSplitterInput } from '@sluice/lines'
import { checkResponse, isResponse, type ResponseLike } from './check-response.ts'
import { StreamIdleError } from './errors.ts'

/**
 * What a `ChatReader` reads: a fetch `Response`, its body, or any async iterable of bytes
 * (a Node `Readable`, an async generator).
 *
 * @example A recorded stream, read from a file
 * ```ts
 * import { createReadStream } from 'node:fs'
 * import { chatStream, type ChatSource } from '@sluice/chat'
 *
 * const source: ChatSource = createReadStream('capture.sse') // a Node Readable: an AsyncIterable of bytes
 * for await (const text of chatStream(source).textStream()) process.stdout.write(text)
 * ```
 */
export type ChatSource = Response | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>

/** Options of {@link ByteSource}. */
export interface ByteSourceOptions {
  /** Error with {@link StreamIdleError} when a read waits longer than this; `undefined`: no limit. */
  idleTimeoutMs?: number | undefined
  /** Accept a 2xx response of any content type. */
  allowAnyContentType?: boolean | undefined
}

/** The longest delay `setTimeout` takes (2^31 - 1 ms, about 24.8 days): a longer one fires at once. */
const MAX_TIMEOUT_MS = 2_147_483_647

/**
 * The idle timeout to enforce: `undefined` for none (`undefined` or `Infinity`), else a
 * number of milliseconds in (0, 2^31 - 1]. Anything else throws a `RangeError` naming
 * `caller`.
 */
export function idleTimeout(value: unknown, caller: string): number | undefined {
  if (value === undefined || value === Number.POSITIVE_INFINITY) return undefined
  if (typeof value === 'number' && value > 0 && value <= MAX_TIMEOUT_MS) return value
  throw new RangeError(
    `${caller}: idleTimeoutMs must be a number of milliseconds > 0 and <= ${MAX_TIMEOUT_MS}, Infinity or undefined, got ${String(value)}`,
  )
}

/** The reading side of the input, whatever its kind. */
interface Upstream {
  read(): Promise<{ done: boolean; value?: LineSplitterInput | undefined }>
  cancel(reason: unknown): Promise<void>
}

type ReadResult = ReadableStreamReadResult<LineSplitterInput>

const DONE: ReadableStreamReadDoneResult<LineSplitterInput> = Object.freeze({ done: true, value: undefined })

/**
 * The bytes of a chat stream's input, for `iterate` to pull: it checks a `Response` at the
 * first read (so `chatStream()` returns at once and an HTTP error surfaces where the stream
 * is read), enforces the idle timeout, and can be failed (an abort) or closed (a cancel)
 * from outside while a read is pending — the read then settles at once, even when the
 * upstream read never does (an async generator stuck in an `await`).
 *
 * `iterate` reads its source through `getReader()` only (`read`, `cancel`, `releaseLock`:
 * a `ReadableSource`), so this class is that reader itself rather than a `ReadableStream`
 * wrapped around the input: a wrapper stream costs a queue, a `pull` and two more promises
 * per read, a quarter of the throughput at 64-byte reads.
 *
 * The idle timer runs only while a read waits for the upstream, and restarts with each
 * read: a consumer that is slow to ask for more is not idleness. A keep-alive comment is
 * bytes, so the read that brings it restarts the timer like any other. The check of a
 * `Response` that reads its body (an error body) is bounded the same way, by
 * `checkResponse`, and ending the source meanwhile (an abort, a cancel) cuts it short.
 *
 * `ChatReader` pulls it as `iterate(source.readable, stages)`, e.g.
 * `iterate(new ByteSource(response, { idleTimeoutMs: 30_000 }).readable, new ChatChunkParser())`.
 */
export class ByteSource {
  /** The source as `iterate` takes it: an object whose `getReader()` gives this reader (once). */
  readonly readable: ReadableSource<LineSplitterInput>
  readonly #input: ChatSource
  readonly #idleTimeoutMs: number | undefined
  readonly #allowAnyContentType: boolean
  #locked = false
  #upstream: Upstream | undefined
  /** While a `Response` is checked: aborting it cuts the check short and cancels the body it reads. */
  #checking: AbortController | undefined
  /** The read waiting for the upstream, settled by the upstream or from outside. */
  #pending: { resolve: (result: ReadResult) => void; reject: (reason: unknown) => void } | undefined
  /** The source ended (done, failed, closed or cancelled): reads give `#failure` or done, no timer runs. */
  #ended = false
  #failure: { reason: unknown } | undefined
  /** The upstream needs no cancel: it ended, failed, or was cancelled already. */
  #released = false
  #timer: ReturnType<typeof setTimeout> | undefined
  #lastByteAt: number | undefined
  #bytesRead = 0

  constructor(input: ChatSource, options: ByteSourceOptions = {}) {
    if (isResponse(input)) {
      if (input.bodyUsed)
        throw new TypeError('chatStream: the response body was already read (bodyUsed is true): pass a fresh Response')
    } else if (!isReadableStream(input) && !isAsyncIterable(input)) {
      throw new TypeError(
        `chatStream: source must be a Response, a ReadableStream of bytes or an AsyncIterable of bytes, got ${describe(input)}`,
      )
    }
    this.#input = input
    this.#idleTimeoutMs = options.idleTimeoutMs
    this.#allowAnyContentType = options.allowAnyContentType ?? false
    const reader = {
      read: () => this.#read(),
      cancel: (reason?: unknown) => this.#cancel(reason),
      releaseLock: () => {
        this.#locked = false
      },
    }
    this.readable = {
      getReader: () => {
        if (this.#locked) throw new TypeError('ByteSource: the source is locked to a reader already')
        this.#locked = true
        return reader
      },
    }
  }

  /** Bytes read so far. */
  get bytesRead(): number {
    return this.#bytesRead
  }

  /**
   * Fails the source with `reason` (a pending read rejects with it at once, later reads
   * too) and cancels the upstream: an abort.
   */
  fail(reason: unknown): Promise<void> {
    if (this.#ended) return Promise.resolve()
    this.#failure = { reason }
    this.#end()
    this.#pending?.reject(reason)
    this.#pending = undefined
    return this.#release(reason)
  }

  /** Closes the source (a pending read resolves done at once, later reads too) and cancels the upstream with `reason`. */
  close(reason: unknown): Promise<void> {
    if (this.#ended) return Promise.resolve()
    this.#end()
    this.#pending?.resolve(DONE)
    this.#pending = undefined
    return this.#release(reason)
  }

  #read(): Promise<ReadResult> {
    if (this.#failure) return Promise.reject(this.#failure.reason)
    if (this.#ended) return Promise.resolve(DONE)
    if (this.#pending) return Promise.reject(new TypeError('ByteSource: one read at a time'))
    return new Promise<ReadResult>((resolve, reject) => {
      this.#pending = { resolve, reject }
      if (this.#upstream) this.#readUpstream(this.#upstream)
      else
        this.#open().then(
          (upstream) => this.#readUpstream(upstream),
          (error: unknown) => this.#upstreamFailed(error),
        )
    })
  }

  /** The reader cancelled (iterate left early, met `[DONE]`, or a stage failed): the upstream is cancelled with the reason. */
  #cancel(reason: unknown): Promise<void> {
    if (!this.#ended) {
      this.#end()
      this.#pending?.resolve(DONE)
      this.#pending = undefined
    }
    return this.#release(reason)
  }

  /** The upstream, after a `Response` passed its checks; cancelled again if the source ended meanwhile. */
  async #open(): Promise<Upstream> {
    const input = this.#input
    let upstream: Upstream
    if (isResponse(input)) {
      const checking = new AbortController()
      this.#checking = checking
      try {
        await checkResponse(input, {
          allowAnyContentType: this.#allowAnyContentType,
          idleTimeoutMs: this.#idleTimeoutMs,
          signal: checking.signal,
        })
      } finally {
        this.#checking = undefined
      }
      // Ended while a valid response was checked: its body, which the check did not touch, is released at once.
      if (checking.signal.aborted) {
        await cancelUnopened(input, checking.signal.reason).catch(() => {})
        return EMPTY
      }
      upstream = input.body ? readerUpstream(input.body.getReader()) : EMPTY
    } else if (isReadableStream(input)) {
      upstream = readerUpstream(input.getReader())
    } else {
      upstream = iteratorUpstream(input[Symbol.asyncIterator]())
    }
    this.#upstream = upstream
    return upstream
  }

  /** One upstream read for the pending read, raced against the idle timer. */
  #readUpstream(upstream: Upstream): void {
    if (this.#ended) return
    const timeout = this.#idleTimeoutMs
    if (timeout !== undefined) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined
        const since = this.#lastByteAt === undefined ? undefined : Date.now() - this.#lastByteAt
        void this.fail(new StreamIdleError(timeout, 'body', since, this.#bytesRead))
      }, timeout)
    }
    upstream.read().then(
      (result) => {
        this.#clearTimer()
        const pending = this.#pending
        // Settled from outside meanwhile (an abort, a cancel, the idle timer): this result is dropped.
        if (!pending) return
        this.#pending = undefined
        if (result.done) {
          this.#end()
          this.#released = true
          pending.resolve(DONE)
          return
        }
        const value = result.value as LineSplitterInput
        this.#lastByteAt = Date.now()
        this.#bytesRead += typeof value === 'string' ? value.length : value.byteLength
        pending.resolve({ done: false, value })
      },
      (error: unknown) => {
        this.#clearTimer()
        this.#upstreamFailed(error)
      },
    )
  }

  /** The check of the response or an upstream read failed: this and every later read reject with the error. */
  #upstreamFailed(error: unknown): void {
    if (this.#ended) return
    this.#failure = { reason: error }
    this.#end()
    this.#released = true
    this.#pending?.reject(error)
    this.#pending = undefined
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
  }

  #end(): void {
    this.#ended = true
    this.#clearTimer()
  }

  /**
   * Cancels whatever is upstream, once: the opened reader or iterator, the response being
   * checked (the check cancels a body it reads; `#open` one it did not), or the unopened input.
   */
  async #release(reason: unknown): Promise<void> {
    if (this.#released) return
    this.#released = true
    const upstream = this.#upstream
    try {
      if (upstream) await upstream.cancel(reason)
      else if (this.#checking) this.#checking.abort(reason)
      else await cancelUnopened(this.#input, reason)
    } catch {
      // The upstream failing to cancel is not the reader's concern: it is gone either way.
    }
  }
}

const EMPTY: Upstream = {
  read: () => Promise.resolve({ done: true }),
  cancel: () => Promise.resolve(),
}

function readerUpstream(reader: ReadableStreamDefaultReader<LineSplitterInput>): Upstream {
  return {
    read: () => reader.read(),
    cancel: (reason) => reader.cancel(reason),
  }
}

function iteratorUpstream(iterator: AsyncIterator<LineSplitterInput>): Upstream {
  return {
    read: async () => {
      const { done, value } = await iterator.next()
      return done ? { done: true } : { done: false, value }
    },
    // An async generator suspended in an `await` runs `return()` only when that await
    // settles: it is asked, not awaited, so a cancel never waits on a stuck source.
    cancel: async () => {
      void Promise.resolve()
        .then(() => iterator.return?.())
        .catch(() => {})
    },
  }
}

/** Cancels an input that was never read: the body of a response, a stream, or an iterable's iterator. */
async function cancelUnopened(input: ChatSource, reason: unknown): Promise<void> {
  if (isResponse(input)) {
    if (input.body && !input.body.locked) await input.body.cancel(reason)
  } else if (isReadableStream(input)) {
    if (!input.locked) await input.cancel(reason)
  } else {
    await iteratorUpstream(input[Symbol.asyncIterator]()).cancel(reason)
  }
}

function isReadableStream(value: unknown): value is ReadableStream<Uint8Array> {
  return typeof (value as ReadableStream | null)?.getReader === 'function'
}

function isAsyncIterable(value: unknown): value is AsyncIterable<Uint8Array> {
  return typeof (value as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === 'function'
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value !== 'object') return typeof value
  return `an object ${(value as object).constructor?.name ?? 'without prototype'}`
}

export type { ResponseLike }
