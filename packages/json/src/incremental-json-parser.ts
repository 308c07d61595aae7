import { JSONTextError } from './errors.ts'

/**
 * A key of an object or an index of an array: a path is the list of them from the root.
 *
 * @example
 * ```ts
 * import type { JSONPath } from '@sluice/json'
 *
 * const path: JSONPath = ['cities', 0, 'name']
 * ```
 */
export type JSONPath = readonly (string | number)[]

/**
 * What the parser saw, in order: `set` a value at a path (a container as `{}` or `[]` when it
 * opens, a string with the text of it the same fragment held, a number or a literal once it
 * is complete), `append` text that later fragments brought to the string at a path, `close`
 * the container at a path.
 *
 * @example
 * ```ts
 * import type { JSONEvent } from '@sluice/json'
 *
 * const events: JSONEvent[] = [
 *   { type: 'set', path: [], value: {} },
 *   { type: 'set', path: ['city'], value: 'Par' },
 *   { type: 'append', path: ['city'], text: 'is' },
 * ]
 * ```
 */
export type JSONEvent =
  | { type: 'set'; path: JSONPath; value: unknown }
  | { type: 'append'; path: JSONPath; text: string }
  | { type: 'close'; path: JSONPath }

/**
 * Options of {@link IncrementalJSONParser}.
 *
 * @example
 * ```ts
 * import { IncrementalJSONParser, type IncrementalJSONParserOptions } from '@sluice/json'
 *
 * const options: IncrementalJSONParserOptions = { snapshots: true, maxDepth: 64 }
 * const parser = new IncrementalJSONParser(options)
 * ```
 */
export interface IncrementalJSONParserOptions {
  /**
   * Return {@link JSONEvent}s from `feed` and `end` (otherwise they return an empty array
   * and cost nothing).
   * @default false
   */
  events?: boolean
  /**
   * Keep what `snapshot()` needs: frozen copies of the containers, shared between snapshots.
   * @default false
   */
  snapshots?: boolean
  /**
   * When the text turns out not to be JSON, stop parsing instead of throwing: `error` holds
   * why and where, `text` the whole raw text, `value` and `snapshot()` what was read before.
   * @default false
   */
  tolerant?: boolean
  /**
   * The deepest nesting of containers accepted.
   * @default 512
   */
  maxDepth?: number
  /**
   * The most characters of text accepted, in all.
   * @default 67108864 (64 Mi)
   */
  maxLength?: number
}

/** An open container: the value, its frozen-copy shadow, and where it is between members. */
interface Frame {
  readonly container: Record<string | number, unknown>
  /** With snapshots: the container with its closed children as their frozen copies. */
  readonly shadow: Record<string | number, unknown> | undefined
  readonly isArray: boolean
  /** The key of the member being read (an array: its index). */
  key: string | number
  /** With events: the container's path. */
  readonly path: JSONPath | undefined
  /** With snapshots: the last frozen copy, valid while the frame is not dirty. */
  copy: unknown
}

// Where the parser is, outside strings and tokens.
/** A value must come (the root, after `:`, after `,` in an array). */
const VALUE = 0
/** After `[`: a value or `]`. */
const VALUE_OR_END = 1
/** After `{`: a key or `}`. */
const KEY_OR_END = 2
/** After `,` in an object: a key. */
const KEY = 3
/** After a key: `:`. */
const COLON = 4
/** After a member: `,` or the container's end. */
const AFTER = 5
/** After the root value: only whitespace. */
const DONE = 6

// Character codes.
const TAB = 0x09
const LF = 0x0a
const CR = 0x0d
const SPACE = 0x20
const QUOTE = 0x22
const COMMA = 0x2c
const COLON_CODE = 0x3a
const BACKSLASH = 0x5c
const OPEN_BRACKET = 0x5b
const CLOSE_BRACKET = 0x5d
const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d

/** Characters that continue a number or a literal: digits, letters, `.`, `+`, `-`. */
function isTokenCode(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) ||
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x41 && code <= 0x5a) ||
    code === 0x2e ||
    code === 0x2b ||
    code === 0x2d
  )
}
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' }
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/
const NO_EVENTS: readonly JSONEvent[] = Object.freeze([])

/** Escape states: none, after `\`, then 1–4 hex digits after `\u` (the count + 1). */
const NO_ESCAPE = 0
const BACKSLASH_SEEN = 1

/**
 * Parses JSON text that arrives in fragments (a tool call's arguments, structured output),
 * keeping its state between them — the container stack, inside a string or an escape, a
 * partial number or literal — so each `feed` costs time in proportion to its fragment, not
 * to the text so far. It builds the value as it reads (`value`); on request it also returns
 * path {@link JSONEvent}s (`events: true`) and takes frozen snapshots of the value so far
 * (`snapshots: true`). Numbers and literals appear only once complete (never `1` then `12`,
 * never `n` as `null`), strings as their text arrives. The text is JSON by RFC 8259, read
 * exactly as `JSON.parse` reads it: the same value, the same texts refused.
 *
 * @example Tool arguments as they stream
 * ```ts
 * import { IncrementalJSONParser } from '@sluice/json'
 *
 * const parser = new IncrementalJSONParser({ snapshots: true })
 * for (const fragment of ['{"city": "Pa', 'ris", "days": 1', '2}']) {
 *   parser.feed(fragment)
 *   console.log(parser.snapshot()) // { city: 'Pa' }, { city: 'Paris' }, { city: 'Paris' }
 * }
 * parser.end() // throws a JSONTextError if the text was not one whole JSON value
 * console.log(parser.value) // { city: 'Paris', days: 12 }
 * ```
 */
export class IncrementalJSONParser {
  readonly #maxDepth: number
  readonly #maxLength: number
  readonly #withEvents: boolean
  readonly #withSnapshots: boolean
  readonly #tolerant: boolean
  readonly #stack: Frame[] = []
  #state = VALUE
  /** Characters fed before the current fragment. */
  #base = 0
  #root: unknown = undefined
  /** With snapshots: the root's frozen copy once it is complete (or a primitive). */
  #rootCopy: unknown = undefined
  /** With snapshots: the deepest frame changed since the last snapshot (-1: none). */
  #dirtyTo = -1
  #events: JSONEvent[] = []
  #error: JSONTextError | undefined
  #text = ''
  /** Tolerant: a fragment did not fit in maxLength, so the text keeps no more. */
  #textFull = false

  /** 0: not in a string; 1: a value's string; 2: a key. */
  #inString = 0
  /** The string's text from earlier fragments (without a held high surrogate). */
  #stringText = ''
  /** A high surrogate that ended a fragment, held until its low half. */
  #high = ''
  #escape = NO_ESCAPE
  #hex = 0
  /** With events: the `set` event of a string that started in this fragment. */
  #stringSet: { type: 'set'; path: JSONPath; value: unknown } | undefined
  /** A number or a literal being read. */
  #token = ''

  constructor(options: IncrementalJSONParserOptions = {}) {
    this.#maxDepth = options.maxDepth ?? 512
    this.#maxLength = options.maxLength ?? 64 * 1024 * 1024
    this.#withEvents = options.events ?? false
    this.#withSnapshots = options.snapshots ?? false
    this.#tolerant = options.tolerant ?? false
  }

  /** The value so far: whole after `end()`. Later fragments change it in place; take `snapshot()` to keep one. */
  get value(): unknown {
    return this.#root
  }

  /** Whether a whole value has been read (more than whitespace after it is an error). */
  get done(): boolean {
    return this.#state === DONE && this.#token === ''
  }

  /**
   * Why the text is not JSON (and where); `undefined` while it is. The parse ends there: in
   * tolerant mode later fragments only go to `text`; otherwise every later `feed` and `end`
   * throws it again (the parser does not go on from a state the text broke).
   */
  get error(): JSONTextError | undefined {
    return this.#error
  }

  /** In tolerant mode, the whole text fed so far (`''` otherwise). */
  get text(): string {
    return this.#text
  }

  /** Parses the next fragment: the events it completed (with `events: true`). */
  feed(fragment: string): readonly JSONEvent[] {
    if (this.#error !== undefined) {
      // An error ends the parse: without tolerance, every later call throws it again.
      if (!this.#tolerant) throw this.#error
      // Keep the raw text up to maxLength, and no piece past the first that did not fit.
      if (this.#text.length + fragment.length > this.#maxLength) this.#textFull = true
      if (!this.#textFull) this.#text += fragment
      return NO_EVENTS
    }
    try {
      if (this.#base + fragment.length > this.#maxLength) {
        this.#textFull = true
        throw new JSONTextError(`longer than maxLength (${this.#maxLength} characters)`, this.#maxLength)
      }
      if (this.#tolerant) this.#text += fragment
      this.#read(fragment)
      this.#base += fragment.length
      return this.takeEvents()
    } catch (error) {
      return this.#failed(error)
    }
  }

  /** The end of the text: throws a {@link JSONTextError} unless it was one whole JSON value (in tolerant mode, sets `error`). */
  end(): readonly JSONEvent[] {
    if (this.#error !== undefined) {
      if (!this.#tolerant) throw this.#error
      return NO_EVENTS
    }
    try {
      if (this.#token !== '') this.#endToken(0)
      if (this.#inString !== 0) throw this.#fail('the text ends inside a string', 0)
      if (this.#stack.length > 0) throw this.#fail(`the text ends inside ${this.#stack.length} open container(s)`, 0)
      if (this.#state !== DONE) throw this.#fail('the text holds no value', 0)
      return this.takeEvents()
    } catch (error) {
      return this.#failed(error)
    }
  }

  /**
   * The value so far, frozen (needs `snapshots: true`): containers that did not change since
   * the last snapshot are the same objects, so a snapshot costs the width of the containers
   * on the changed path, not the size of the value. `undefined` before a value starts.
   */
  snapshot(): unknown {
    if (!this.#withSnapshots) throw new TypeError('snapshot() needs new IncrementalJSONParser({ snapshots: true })')
    const stack = this.#stack
    if (stack.length === 0) return this.#rootCopy
    let child: unknown
    for (let depth = stack.length - 1; depth >= 0; depth--) {
      const frame = stack[depth]!
      if (depth > this.#dirtyTo && frame.copy !== undefined) {
        child = frame.copy
        continue
      }
      const shadow = frame.shadow!
      const copy = frame.isArray ? (shadow as unknown as unknown[]).slice() : { ...shadow }
      if (depth < stack.length - 1) put(copy as Record<string | number, unknown>, frame.key, child)
      frame.copy = Object.freeze(copy)
      child = frame.copy
    }
    this.#dirtyTo = -1
    return child
  }

  /**
   * The events completed since the last `feed` or `end` returned: after one of them threw,
   * those it completed before the error (so nothing read is lost).
   */
  takeEvents(): readonly JSONEvent[] {
    if (!this.#withEvents) return NO_EVENTS
    const events = this.#events
    this.#events = []
    this.#stringSet = undefined
    return events
  }

  #failed(error: unknown): readonly JSONEvent[] {
    if (error instanceof JSONTextError) {
      this.#error = error
      // The text of a string the error ended is read, as it would be had a fragment ended before the error.
      if (this.#inString === 1) this.#partialString()
    }
    if (!this.#tolerant || !(error instanceof JSONTextError)) throw error
    return this.takeEvents()
  }

  #read(fragment: string): void {
    const length = fragment.length
    let at = 0
    if (this.#inString !== 0) at = this.#readString(fragment, 0)
    else if (this.#token !== '') at = this.#readToken(fragment, 0)
    while (at < length) {
      const code = fragment.charCodeAt(at)
      if (code === SPACE || code === LF || code === CR || code === TAB) {
        at++
        continue
      }
      switch (this.#state) {
        case VALUE_OR_END:
          if (code === CLOSE_BRACKET) {
            this.#close()
            at++
            continue
          }
          at = this.#startValue(fragment, at, code)
          continue
        case VALUE:
          at = this.#startValue(fragment, at, code)
          continue
        case KEY_OR_END:
        case KEY:
          if (code === CLOSE_BRACE && this.#state === KEY_OR_END) {
            this.#close()
            at++
            continue
          }
          if (code !== QUOTE) throw this.#fail(`${describe(code)} where a key was expected`, at)
          this.#inString = 2
          at = this.#readString(fragment, at + 1)
          continue
        case COLON:
          if (code !== COLON_CODE) throw this.#fail(`${describe(code)} where ':' was expected`, at)
          this.#state = VALUE
          at++
          continue
        case AFTER: {
          const frame = this.#stack[this.#stack.length - 1]!
          if (code === COMMA) this.#state = frame.isArray ? VALUE : KEY
          else if (code === (frame.isArray ? CLOSE_BRACKET : CLOSE_BRACE)) this.#close()
          else throw this.#fail(`${describe(code)} where ',' or '${frame.isArray ? ']' : '}'}' was expected`, at)
          at++
          continue
        }
        default:
          throw this.#fail(`${describe(code)} after the value`, at)
      }
    }
    if (this.#inString === 1) this.#partialString()
  }

  /** A value starts at `at` with `code`: returns where reading goes on. */
  #startValue(fragment: string, at: number, code: number): number {
    if (code === QUOTE) {
      this.#inString = 1
      if (this.#withEvents) {
        this.#stringSet = { type: 'set', path: this.#memberPath(), value: '' }
        this.#events.push(this.#stringSet)
      }
      return this.#readString(fragment, at + 1)
    }
    if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      this.#open(code === OPEN_BRACKET, at)
      return at + 1
    }
    if (code === 0x2d || (code >= 0x30 && code <= 0x39) || code === 0x74 || code === 0x66 || code === 0x6e)
      return this.#readToken(fragment, at)
    throw this.#fail(`${describe(code)} where a value was expected`, at)
  }

  /** Reads a number or a literal from `at`: to the fragment's end (kept) or its end (set). */
  #readToken(fragment: string, at: number): number {
    let end = at
    while (end < fragment.length && isTokenCode(fragment.charCodeAt(end))) end++
    this.#token += fragment.slice(at, end)
    if (end < fragment.length) this.#endToken(end)
    return end
  }

  #endToken(at: number): void {
    const text = this.#token
    this.#token = ''
    let value: unknown
    if (text === 'true') value = true
    else if (text === 'false') value = false
    else if (text === 'null') value = null
    else if (NUMBER.test(text)) value = Number(text)
    else throw this.#fail(`${JSON.stringify(text)} is not a number or a literal`, at - text.length)
    this.#member(value)
  }

  /** Reads string text from `at`: returns where the string ended (after its quote) or the fragment's length. */
  #readString(fragment: string, at: number): number {
    const length = fragment.length
    let run = this.#high
    this.#high = ''
    let start = at
    for (;;) {
      if (this.#escape !== NO_ESCAPE) {
        if (at >= length) break
        try {
          run += this.#escaped(fragment.charCodeAt(at), at)
        } catch (error) {
          this.#keep(run)
          throw error
        }
        start = ++at
        continue
      }
      let code = 0
      while (at < length) {
        code = fragment.charCodeAt(at)
        if (code === QUOTE || code === BACKSLASH || code < SPACE) break
        at++
      }
      if (at >= length) {
        run = run === '' ? fragment.slice(start, at) : run + fragment.slice(start, at)
        break
      }
      if (code < SPACE) {
        this.#keep(run + fragment.slice(start, at))
        throw this.#fail(`a control character (U+${code.toString(16).padStart(4, '0')}) in a string`, at)
      }
      run = run === '' ? fragment.slice(start, at) : run + fragment.slice(start, at)
      if (code === BACKSLASH) {
        this.#escape = BACKSLASH_SEEN
        start = ++at
        continue
      }
      // The closing quote.
      this.#endString(run)
      return at + 1
    }
    // The fragment ended inside the string: hold a trailing high surrogate for its low half.
    const last = run.charCodeAt(run.length - 1)
    if (last >= 0xd800 && last <= 0xdbff) {
      this.#high = run.slice(-1)
      run = run.slice(0, -1)
    }
    this.#keep(run)
    return length
  }

  /** The string goes on past this fragment (or an error ends it here): its text so far is kept. */
  #keep(run: string): void {
    if (run === '') return
    if (this.#withEvents && this.#inString === 1) this.#appendEvent(run)
    this.#stringText += run
  }

  /** The next character of an escape: the text it stands for once complete, or `''`. */
  #escaped(code: number, at: number): string {
    if (this.#escape === BACKSLASH_SEEN) {
      if (code === 0x75) {
        this.#escape = 2
        this.#hex = 0
        return ''
      }
      const text = ESCAPES[String.fromCharCode(code)]
      if (text === undefined) throw this.#fail(`\\${String.fromCharCode(code)} is not an escape`, at)
      this.#escape = NO_ESCAPE
      return text
    }
    const digit = hexValue(code)
    if (digit < 0) throw this.#fail(`${describe(code)} in a \\u escape`, at)
    this.#hex = this.#hex * 16 + digit
    if (this.#escape < 5) {
      this.#escape++
      return ''
    }
    this.#escape = NO_ESCAPE
    return String.fromCharCode(this.#hex)
  }

  #endString(run: string): void {
    const text = this.#stringText === '' ? run : this.#stringText + run
    this.#stringText = ''
    const kind = this.#inString
    this.#inString = 0
    if (kind === 2) {
      const frame = this.#stack[this.#stack.length - 1]!
      frame.key = text
      this.#state = COLON
      return
    }
    if (this.#withEvents && run !== '') this.#appendEvent(run)
    this.#member(text)
  }

  /** With events: string text as a new `append`, or into the `set` of a string that started in this fragment. */
  #appendEvent(run: string): void {
    const set = this.#stringSet
    if (set !== undefined) set.value = `${set.value as string}${run}`
    else this.#events.push({ type: 'append', path: this.#memberPath(), text: run })
  }

  /** The fragment ended inside a value's string: the value shows the text so far. */
  #partialString(): void {
    this.#stringSet = undefined
    this.#place(this.#stringText)
  }

  /** A value ended: placed in its container (or as the root); the container moves past it. */
  #member(value: unknown): void {
    if (this.#withEvents && typeof value !== 'string')
      this.#events.push({ type: 'set', path: this.#memberPath(), value })
    this.#place(value)
    this.#stringSet = undefined
    const stack = this.#stack
    if (stack.length === 0) {
      this.#state = DONE
      return
    }
    const frame = stack[stack.length - 1]!
    if (frame.isArray) (frame.key as number)++
    this.#state = AFTER
  }

  /** Puts a value (or a string's text so far) at the member being read. */
  #place(value: unknown): void {
    const stack = this.#stack
    if (stack.length === 0) {
      this.#root = value
      if (this.#withSnapshots) this.#rootCopy = value
      return
    }
    const frame = stack[stack.length - 1]!
    put(frame.container, frame.key, value)
    if (frame.shadow !== undefined) {
      put(frame.shadow, frame.key, value)
      if (stack.length - 1 > this.#dirtyTo) this.#dirtyTo = stack.length - 1
    }
  }

  #open(isArray: boolean, at: number): void {
    const stack = this.#stack
    if (stack.length >= this.#maxDepth) throw this.#fail(`deeper than maxDepth (${this.#maxDepth})`, at)
    const container = (isArray ? [] : {}) as Record<string | number, unknown>
    let path: JSONPath | undefined
    if (this.#withEvents) {
      path = this.#memberPath()
      this.#events.push({ type: 'set', path, value: isArray ? [] : {} })
    }
    const parent = stack[stack.length - 1]
    if (parent === undefined) this.#root = container
    else {
      put(parent.container, parent.key, container)
      if (stack.length - 1 > this.#dirtyTo) this.#dirtyTo = stack.length - 1
    }
    stack.push({
      container,
      shadow: this.#withSnapshots ? ((isArray ? [] : {}) as Record<string | number, unknown>) : undefined,
      isArray,
      key: isArray ? 0 : '',
      path,
      copy: undefined,
    })
    this.#state = isArray ? VALUE_OR_END : KEY_OR_END
  }

  #close(): void {
    const stack = this.#stack
    const frame = stack.pop()!
    if (this.#withEvents) this.#events.push({ type: 'close', path: frame.path! })
    const parent = stack[stack.length - 1]
    if (frame.shadow !== undefined) {
      // Closed: its shadow changes no more and becomes its frozen copy.
      const copy = Object.freeze(frame.shadow)
      if (parent === undefined) this.#rootCopy = copy
      else {
        put(parent.shadow!, parent.key, copy)
        if (stack.length - 1 > this.#dirtyTo) this.#dirtyTo = stack.length - 1
      }
    }
    if (parent === undefined) {
      this.#state = DONE
      return
    }
    if (parent.isArray) (parent.key as number)++
    this.#state = AFTER
  }

  /** With events: the path of the member being read. */
  #memberPath(): JSONPath {
    const frame = this.#stack[this.#stack.length - 1]
    if (frame === undefined) return []
    const parent = frame.path!
    const length = parent.length
    // A copy by index: faster than a spread for the short arrays paths are.
    const path = new Array<string | number>(length + 1)
    for (let at = 0; at < length; at++) path[at] = parent[at]!
    path[length] = frame.key
    return path
  }

  #fail(why: string, at: number): JSONTextError {
    return new JSONTextError(why, this.#base + at)
  }
}

/** Sets an own property, `__proto__` included (as `JSON.parse` makes it). */
function put(container: Record<string | number, unknown>, key: string | number, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(container, key, { value, writable: true, enumerable: true, configurable: true })
  else container[key] = value
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30
  if (code >= 0x61 && code <= 0x66) return code - 0x57
  if (code >= 0x41 && code <= 0x46) return code - 0x37
  return -1
}

function describe(code: number): string {
  return JSON.stringify(String.fromCharCode(code))
}
