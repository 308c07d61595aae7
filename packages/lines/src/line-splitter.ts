import {
  type RecordedStage,
  RecordedTransformStream,
  StreamRecord,
  type StreamProgress,
  type StreamTransformer,
  type TransformController,
} from '@sluice/compose'
import { InvalidReadError, InvalidUTF8Error, LineTooLongError } from './errors.ts'

/** LINE FEED (U+000A). */
const LF = 0x0a
/** CARRIAGE RETURN (U+000D). */
const CR = 0x0d
/** ZERO WIDTH NO-BREAK SPACE (U+FEFF), the byte order mark. */
const BOM = 0xfeff
/** Passed to every streaming `decode` call; hoisted so the hot path allocates nothing. */
const STREAM: TextDecodeOptions = { stream: true }
const DEFAULT_MAX_LINE_LENGTH = 16 * 1024 * 1024
/**
 * Pending fragments joined into one piece at a time. Each fragment costs a string and an
 * array slot (about 10 bytes of heap per character in 1-byte reads); joined, a character
 * costs its 1 or 2 bytes. Each character is copied once by such a join, once more when the
 * line is emitted.
 */
const JOIN_EVERY = 1024

/**
 * What {@link LineSplitter} reads: text, or UTF-8 bytes as an `ArrayBuffer`,
 * `SharedArrayBuffer` or any view on one (`Uint8Array`, Node's `Buffer`, `DataView`, …):
 * every `BufferSource`, and the shared-memory buffers `TextDecoder` also accepts.
 *
 * @example Text and bytes in one stream
 * ```ts
 * import { LineSplitterStream, type LineSplitterInput } from '@sluice/lines'
 *
 * const parts: LineSplitterInput[] = ['data: 1\n', new TextEncoder().encode('data: 2\n')]
 * const input = new ReadableStream<LineSplitterInput>({
 *   start(controller) {
 *     for (const part of parts) controller.enqueue(part)
 *     controller.close()
 *   },
 * })
 * const lines = input.pipeThrough(new LineSplitterStream()) // 'data: 1', 'data: 2'
 * ```
 */
export type LineSplitterInput = string | ArrayBufferLike | ArrayBufferView

/**
 * Options of {@link LineSplitter} and {@link LineSplitterStream}.
 *
 * @example Strict UTF-8 and a 1 MiB line limit
 * ```ts
 * import { LineSplitterStream, type LineSplitterOptions } from '@sluice/lines'
 *
 * const options: LineSplitterOptions = { fatal: true, maxLineLength: 1024 * 1024 }
 * const lines = response.body!.pipeThrough(new LineSplitterStream(options))
 * ```
 */
export interface LineSplitterOptions {
  /**
   * Which sequences end a line. `'any'`: LF, CRLF and a lone CR, as the SSE
   * interpretation rules require. `'lf'`: LF and CRLF only; a lone CR stays in the text.
   * @default 'any'
   */
  terminators?: 'any' | 'lf'
  /**
   * Error the stream with {@link InvalidUTF8Error} on malformed UTF-8 instead of
   * decoding it to U+FFFD (REPLACEMENT CHARACTER). The lines before the bad byte go out
   * first, then the error, whose `byteOffset` is that byte's.
   * @default false
   */
  fatal?: boolean
  /**
   * Keep a leading byte order mark (U+FEFF) as text. By default one BOM at the start
   * of the byte input is dropped, as `TextDecoder` does.
   * @default false
   */
  ignoreBOM?: boolean
  /**
   * Longest line accepted, in UTF-16 code units (JavaScript string length), terminator
   * excluded. A longer line errors the stream with {@link LineTooLongError} as soon as
   * the limit is passed. `Infinity` turns the limit off.
   * @default 16777216 (16 MiB)
   */
  maxLineLength?: number
  /**
   * Keep {@link LineSplitter.record}'s `byteOffset` up to date: the UTF-8 length of each line is
   * counted, which costs a pass over its characters. The fused SSE and chat parsers turn it
   * on when a tracing hook (`onEvent`, `onChunk`) is set.
   * @default false
   */
  trackByteOffsets?: boolean
}

/**
 * Splits a stream of bytes (or text) into lines, without their terminators.
 *
 * - Bytes are decoded as UTF-8 with one streaming `TextDecoder`, so a character split
 *   between reads decodes correctly. Strings are taken as already-decoded text.
 * - LF, CRLF and a lone CR each end a line (`terminators: 'lf'`: only LF and CRLF).
 *   A CRLF split between two reads is one terminator, and a line ended by a CR is
 *   emitted at once, not when the next read arrives.
 * - At the end of the input, a final line without a terminator is still emitted;
 *   input that ends with a terminator produces no extra empty line.
 * - Memory is bounded by `maxLineLength`, and a pending line holds about its own
 *   characters' bytes however small the reads; cost is linear in the input whatever the
 *   chunking (each character is copied at most twice, terminators are found with `indexOf`).
 *
 * Use it with any `TransformStream` implementation, or use {@link LineSplitterStream}.
 *
 * @example Split a response body into lines
 * ```ts
 * import { LineSplitter } from '@sluice/lines'
 *
 * const lines = new Response('data: 1\r\n\r\ndata: 2\n\n').body!
 *   .pipeThrough(new TransformStream(new LineSplitter()))
 * for await (const line of lines) console.log(JSON.stringify(line))
 * // "data: 1"  ""  "data: 2"  ""
 * ```
 */
export class LineSplitter implements StreamTransformer<LineSplitterInput, string>, RecordedStage {
  readonly #lfOnly: boolean
  readonly #fatal: boolean
  readonly #maxLineLength: number
  /** Always `ignoreBOM: true`: the one leading BOM is dropped by `#dropBOM`, see there. */
  readonly #decoder: TextDecoder
  /** Bytes were decoded since the decoder was last flushed: it may hold a partial character. */
  #decoderDirty = false
  /** A leading BOM is still to be dropped: no text has been read yet. */
  #bomPending: boolean
  /**
   * Text of the current, unterminated line, as it arrived. Kept as fragments and joined
   * when the terminator arrives: `pending += text` followed by a re-scan would be
   * quadratic for a line spread over many small reads. Every {@link JOIN_EVERY} fragments,
   * those since the last such join become one piece, so that a line read in tiny reads
   * does not cost a string per read.
   */
  #pending: string[] = []
  #pendingLength = 0
  /** Entries of `#pending` already joined into pieces: the fragments start after them. */
  #pieces = 0
  /** The last text ended with a CR that ended a line: an LF that starts the next text belongs to it. */
  #afterCR = false
  readonly #trackByteOffsets: boolean
  /** Bytes of the lines emitted so far, terminators included (with `trackByteOffsets`). */
  #byteOffset = 0
  /** Lines emitted so far; the line being read is number `#linesEmitted + 1`. */
  #linesEmitted = 0
  #bytesDecoded = 0
  #readIndex = 0
  #record!: StreamRecord
  /** This stage's position among those sharing the record. */
  #stage = 0
  /**
   * With `fatal`: the bytes of a character the previous reads left incomplete (the decoder
   * holds them), so that a read with invalid UTF-8 can be decoded again up to the invalid
   * sequence: the lines before it go out before the error, as when the bytes come one by one.
   */
  #incomplete: Uint8Array = NO_BYTES
  /** With `fatal`: the invalid sequence of the read being split, raised once the lines before it are out. */
  #invalid: { byteOffset: number; cause: unknown } | undefined

  constructor(options: LineSplitterOptions = {}) {
    const { terminators = 'any', fatal = false, ignoreBOM = false } = options
    const maxLineLength = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH
    if (terminators !== 'any' && terminators !== 'lf') {
      throw new TypeError(`LineSplitter: terminators must be 'any' or 'lf', got ${String(terminators)}`)
    }
    if (typeof maxLineLength !== 'number' || !(maxLineLength >= 1)) {
      throw new RangeError(
        `LineSplitter: maxLineLength must be a number >= 1 or Infinity, got ${String(maxLineLength)}`,
      )
    }
    this.#lfOnly = terminators === 'lf'
    this.#fatal = fatal
    this.#maxLineLength = maxLineLength
    this.#decoder = new TextDecoder('utf-8', { fatal, ignoreBOM: true })
    this.#bomPending = !ignoreBOM
    this.#trackByteOffsets = options.trackByteOffsets ?? false
    this.useRecord(new StreamRecord())
  }

  /**
   * The record of the stream this splitter writes to: `bytes`, the bytes received so far
   * (string reads are not counted: they arrive decoded), and with `trackByteOffsets`,
   * `byteOffset`, the offset just past the last line emitted and its terminator (exact for
   * valid UTF-8; bytes decoded to U+FFFD count 3). Lines are counted by the SSE decoder.
   */
  get record(): StreamRecord {
    return this.#record
  }

  /** Writes to `record` from now on (see `RecordedStage`). */
  useRecord(record: StreamRecord): void {
    this.#stage = record.join(this)
    record.bytes = this.#bytesDecoded
    if (this.#trackByteOffsets) record.byteOffset = this.#byteOffset
    this.#record = record
  }

  /** What the record holds so far (see `StreamProgress`). */
  get progress(): StreamProgress {
    return this.#record.progressUpTo(this.#stage)
  }

  /** Lines emitted so far. */
  get lineCount(): number {
    return this.#linesEmitted
  }

  /** Decodes `read` and enqueues every line it completes; the unterminated rest waits for the next read. */
  transform(read: LineSplitterInput, controller: TransformController<string>): void {
    const text = typeof read === 'string' ? this.#takeText(read) : this.#decodeBytes(read)
    this.#readIndex++
    if (text.length > 0) this.#split(text, controller)
    if (this.#invalid) {
      const { byteOffset, cause } = this.#invalid
      this.#invalid = undefined
      throw new InvalidUTF8Error(byteOffset, `in read ${this.#readIndex - 1}`, this.#linesEmitted + 1, { cause })
    }
  }

  /** The end of the input: enqueues the last line if no terminator ended it (with `fatal`, a character cut off by the end is an {@link InvalidUTF8Error}). */
  flush(controller: TransformController<string>): void {
    // The decoder may still hold the start of a character cut off by the end of the input.
    if (this.#decoderDirty) {
      const rest = this.#endDecoding('at the end of the input (an incomplete character)')
      if (rest.length > 0) this.#split(rest, controller)
    }
    // A final line without a terminator is still a line.
    if (this.#pendingLength > 0) {
      const line = this.#takePending('')
      this.#linesEmitted++
      if (this.#trackByteOffsets) this.#record.byteOffset = this.#byteOffset += utf8Length(line)
      controller.enqueue(line)
    }
  }

  #decodeBytes(read: ArrayBufferLike | ArrayBufferView): string {
    if (!isBytes(read)) {
      throw new InvalidReadError(this.#readIndex, describe(read), this.#linesEmitted + 1)
    }
    const byteOffset = this.#bytesDecoded
    this.#record.bytes = this.#bytesDecoded += read.byteLength
    this.#decoderDirty = true
    let text: string
    try {
      text = this.#decoder.decode(read, STREAM)
      if (this.#fatal) this.#incomplete = incompleteTail(this.#incomplete, asBytes(read))
    } catch (cause) {
      if (!this.#fatal) throw cause
      // The read holds invalid UTF-8: it is decoded (after the incomplete character the
      // previous reads left) up to the first invalid sequence, whose place is kept for
      // `transform` to raise once the lines before it have gone out.
      const carried = this.#incomplete
      const [valid, validText] = validPrefix(concatBytes(carried, asBytes(read)))
      this.#invalid = { byteOffset: byteOffset - carried.length + valid, cause }
      this.#incomplete = NO_BYTES
      this.#decoderDirty = false
      text = validText
    }
    return this.#bomPending ? this.#dropBOM(text) : text
  }

  /**
   * "The UTF-8 decode algorithm strips one leading UTF-8 Byte Order Mark (BOM), if any."
   * Done here rather than by `TextDecoder`: workerd's streaming decoder strips a BOM at
   * the start of every `decode` call, which would drop U+FEFF characters that merely
   * start a read.
   */
  #dropBOM(text: string): string {
    if (text.length === 0) return text
    this.#bomPending = false
    if (text.charCodeAt(0) !== BOM) return text
    if (this.#trackByteOffsets) this.#record.byteOffset = this.#byteOffset += 3 // EF BB BF
    return text.slice(1)
  }

  /** A string read is text already; bytes decoded before it must end on a whole character. */
  #takeText(read: string): string {
    // Text has started: a BOM in later bytes is a character, not a mark.
    if (read.length > 0) this.#bomPending = false
    if (!this.#decoderDirty) return read
    return this.#endDecoding(`before read ${this.#readIndex}, a string (an incomplete character)`) + read
  }

  #endDecoding(where: string): string {
    this.#decoderDirty = false
    try {
      return this.#decoder.decode()
    } catch (cause) {
      throw new InvalidUTF8Error(this.#bytesDecoded, where, this.#linesEmitted + 1, { cause })
    }
  }

  #split(text: string, controller: TransformController<string>): void {
    const end = text.length
    let start = 0
    if (this.#afterCR) {
      this.#afterCR = false
      // "CRLF" split between two reads: the LF belongs to the CR that already ended a line.
      if (text.charCodeAt(0) === LF) {
        start = 1
        if (this.#trackByteOffsets) this.#record.byteOffset = ++this.#byteOffset
      }
    }
    if (this.#lfOnly) {
      start = this.#splitAtLF(text, start, controller)
    } else {
      start = this.#splitAtAny(text, start, controller)
    }
    if (start < end) this.#hold(text, start, end)
  }

  /**
   * "Lines must be separated by either a U+000D CARRIAGE RETURN U+000A LINE FEED (CRLF)
   * character pair, a single U+000A LINE FEED (LF) character, or a single U+000D CARRIAGE
   * RETURN (CR) character."
   * Both next positions are cached and searched again only once passed, so each
   * character is scanned at most once per terminator kind.
   * @returns where the unterminated rest of `text` starts
   */
  #splitAtAny(text: string, start: number, controller: TransformController<string>): number {
    const end = text.length
    let lf = text.indexOf('\n', start)
    let cr = text.indexOf('\r', start)
    while (lf !== -1 || cr !== -1) {
      if (cr === -1 || (lf !== -1 && lf < cr)) {
        this.#emit(text, start, lf, 1, controller)
        start = lf + 1
      } else {
        const crlf = cr + 1 < end && text.charCodeAt(cr + 1) === LF
        this.#emit(text, start, cr, crlf ? 2 : 1, controller)
        if (cr + 1 < end) {
          start = crlf ? cr + 2 : cr + 1
        } else {
          // The CR ends this text: its line is out already; a leading LF next time is its pair.
          start = end
          this.#afterCR = true
        }
      }
      if (lf !== -1 && lf < start) lf = text.indexOf('\n', start)
      if (cr !== -1 && cr < start) cr = text.indexOf('\r', start)
    }
    return start
  }

  /** `terminators: 'lf'`: LF or CRLF ends a line; a lone CR is text. */
  #splitAtLF(text: string, start: number, controller: TransformController<string>): number {
    let lf = text.indexOf('\n', start)
    while (lf !== -1) {
      const pendingBefore = this.#pendingLength
      let stop = lf
      if (stop > start) {
        if (text.charCodeAt(stop - 1) === CR) stop--
      } else if (this.#pendingLength > 0) {
        // The CR of this CRLF arrived with the previous read: drop it from the pending text.
        const last = this.#pending.length - 1
        const fragment = this.#pending[last]!
        if (fragment.charCodeAt(fragment.length - 1) === CR) {
          this.#pending[last] = fragment.slice(0, -1)
          this.#pendingLength--
        }
      }
      // The terminator is LF or CRLF; a CR held from the previous read was dropped above.
      const terminator = stop < lf || (stop === start && this.#pendingLength < pendingBefore) ? 2 : 1
      this.#emit(text, start, stop, terminator, controller)
      start = lf + 1
      lf = text.indexOf('\n', start)
    }
    return start
  }

  /** Emits `text[start, stop)`, preceded by any pending fragments, as one line ended by `terminator` bytes. */
  #emit(text: string, start: number, stop: number, terminator: number, controller: TransformController<string>): void {
    const length = this.#pendingLength + stop - start
    if (length > this.#maxLineLength) {
      throw new LineTooLongError(this.#maxLineLength, length, this.#linesEmitted + 1)
    }
    let line: string
    if (this.#pendingLength === 0) {
      line = text.slice(start, stop)
    } else {
      line = this.#takePending(text.slice(start, stop))
    }
    this.#linesEmitted++
    if (this.#trackByteOffsets) this.#record.byteOffset = this.#byteOffset += utf8Length(line) + terminator
    controller.enqueue(line)
  }

  /** Keeps `text[start, end)` as the start of a line whose terminator has not arrived yet. */
  #hold(text: string, start: number, end: number): void {
    const length = this.#pendingLength + end - start
    // In 'lf' mode a trailing CR may be the first half of a CRLF: it does not count yet.
    const slack = this.#lfOnly && text.charCodeAt(end - 1) === CR ? 1 : 0
    if (length - slack > this.#maxLineLength) {
      throw new LineTooLongError(this.#maxLineLength, length, this.#linesEmitted + 1)
    }
    const pending = this.#pending
    pending.push(start === 0 && end === text.length ? text : text.slice(start, end))
    this.#pendingLength = length
    if (pending.length - this.#pieces >= JOIN_EVERY) {
      pending[this.#pieces] = pending.slice(this.#pieces).join('')
      pending.length = ++this.#pieces
    }
  }

  /** The pending text followed by `last`, as one string; nothing is pending after. */
  #takePending(last: string): string {
    this.#pending.push(last)
    const line = this.#pending.join('')
    this.#pending.length = 0
    this.#pendingLength = 0
    this.#pieces = 0
    return line
  }
}

/**
 * {@link LineSplitter} as a `TransformStream`: bytes (or text) in, lines out.
 *
 * @example Print the lines of a fetch response
 * ```ts
 * import { LineSplitterStream } from '@sluice/lines'
 *
 * const response = await fetch('https://example.com/events')
 * for await (const line of response.body!.pipeThrough(new LineSplitterStream())) {
 *   console.log(line)
 * }
 * ```
 */
export class LineSplitterStream extends RecordedTransformStream<
  LineSplitterInput,
  string,
  StreamProgress,
  LineSplitter
> {
  constructor(
    options?: LineSplitterOptions,
    writableStrategy?: QueuingStrategy<LineSplitterInput>,
    readableStrategy?: QueuingStrategy<string>,
  ) {
    super(new LineSplitter(options), writableStrategy, readableStrategy)
  }

  /** See {@link LineSplitter.lineCount}. */
  get lineCount(): number {
    return this.stage.lineCount
  }
}

const NO_BYTES = new Uint8Array(0)

/** The bytes of any view or buffer, as a `Uint8Array` over the same memory. */
function asBytes(read: ArrayBufferLike | ArrayBufferView): Uint8Array {
  return ArrayBuffer.isView(read) ? new Uint8Array(read.buffer, read.byteOffset, read.byteLength) : new Uint8Array(read)
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}

/**
 * The bytes of a character left incomplete at the end of `carried` followed by `bytes` (at
 * most 3): what a streaming decoder holds for the next read.
 */
function incompleteTail(carried: Uint8Array, bytes: Uint8Array): Uint8Array {
  const tail = bytes.length >= 3 ? bytes.subarray(-3) : concatBytes(carried, bytes).subarray(-3)
  for (let back = 1; back <= tail.length; back++) {
    const byte = tail[tail.length - back]!
    // An ASCII byte ends a character; a lead byte starts one of 2, 3 or 4 bytes.
    if (byte < 0x80) break
    if (byte >= 0xc0) return (byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2) > back ? tail.slice(-back) : NO_BYTES
  }
  return NO_BYTES
}

/**
 * The longest prefix of `bytes` (which a fatal UTF-8 decoder refuses) that a fatal streaming
 * decoder accepts, found by bisection (this runs once, on the error path): its length, which
 * is the index of the byte at which decoding fails (the last byte of the shortest prefix
 * refused), and its text. A character the prefix leaves incomplete is part of the invalid
 * sequence: streaming, it is not decoded.
 */
function validPrefix(bytes: Uint8Array): [length: number, text: string] {
  // Invariant: the prefix of length `valid` decodes, to `text` (a character cut off at its end
  // is no error in streaming mode); the prefix of length `invalid` does not.
  let valid = 0
  let invalid = bytes.length
  let text = ''
  while (invalid - valid > 1) {
    const middle = (valid + invalid) >>> 1
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(0, middle), STREAM)
      valid = middle
    } catch {
      invalid = middle
    }
  }
  return [valid, text]
}

/** UTF-8 length of `text`, as `TextEncoder` encodes it (a lone surrogate as U+FFFD, 3 bytes). */
function utf8Length(text: string): number {
  let bytes = text.length
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if (code < 0x80) continue
    if (code < 0x800) bytes += 1
    else if (code >= 0xd800 && code <= 0xdbff && (text.charCodeAt(index + 1) & 0xfc00) === 0xdc00) {
      bytes += 2 // a surrogate pair: 4 bytes for 2 code units
      index++
    } else bytes += 2
  }
  return bytes
}

function isBytes(value: unknown): value is ArrayBufferLike | ArrayBufferView {
  if (ArrayBuffer.isView(value)) return true
  // toString instead of instanceof: buffers from another realm (iframe, vm) are accepted too.
  const tag = Object.prototype.toString.call(value)
  return tag === '[object ArrayBuffer]' || tag === '[object SharedArrayBuffer]'
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value !== 'object') return typeof value
  return `object ${value.constructor?.name ?? 'without prototype'}`
}
