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
 *   { type: 'set', path: ['city'], value: '' },
 *   { type: 'append', path: ['city'], text: 'Par' },
 * ]
 * ```
 */
export type JSONEvent =
  | { type: 'set'; path: JSONPath; value: unknown }
  | { type: 'append'; path: JSONPath; text: string }
  | { type: 'close'; path: JSONPath }

/**
 * JSON text that is not JSON (or not yet whole at `end()`), with where: the 0-based offset of
 * the character in the whole text.
 *
 * @example
 * ```ts
 * import { IncrementalJSONParser, JSONTextError } from '@sluice/json'
 *
 * try {
 *   new IncrementalJSONParser().feed('{"a" 1}')
 * } catch (error) {
 *   if (error instanceof JSONTextError) console.error(error.position, error.message)
 * }
 * ```
 */
export class JSONTextError extends SyntaxError {
  readonly code = 'SLUICE_JSON_TEXT'
  declare readonly position: number

  constructor(why: string, position: number) {
    super(`JSON text at ${position}: ${why}`)
    this.position = position
    this.name = 'JSONTextError'
  }
}

/**
 * Options of {@link IncrementalJSONParser}.
 *
 * @example
 * ```ts
 * import { IncrementalJSONParser, type IncrementalJSONParserOptions } from '@sluice/json'
 *
 * const options: IncrementalJSONParserOptions = { maxDepth: 64, maxLength: 1_000_000 }
 * const parser = new IncrementalJSONParser(options)
 * ```
 */
export interface IncrementalJSONParserOptions {
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

/** A container being parsed: its kind, its path, and where it is between its members. */
interface Frame {
  kind: 'object' | 'array'
  path: (string | number)[]
  /** The next index of an array. */
  index: number
  /**
   * `value`: a value may come (after `[` or `,` in an array, after `:` in an object);
   * `key`: a key may come (after `{` or `,`); `colon`: after a key; `after`: after a member.
   */
  state: 'value' | 'key' | 'colon' | 'after'
  /** `,` came: a member must follow (no trailing comma). */
  needsMember: boolean
  key: string
}

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

/**
 * Parses JSON text that arrives in fragments (a tool call's arguments, structured output),
 * keeping its state between them — the container stack, inside a string or an escape or a
 * surrogate pair, a partial number or literal — so each `feed` costs time in proportion to
 * its fragment, not to the text so far. Each `feed` returns the {@link JSONEvent}s it
 * completed: numbers and literals only once complete (never `1` then `12`), strings as they
 * arrive. The text is JSON by RFC 8259, exactly as `JSON.parse` reads it; `end()` says
 * whether it was whole.
 *
 * @example Tool arguments as they stream
 * ```ts
 * import { IncrementalJSONParser } from '@sluice/json'
 *
 * const parser = new IncrementalJSONParser()
 * for (const fragment of ['{"city": "Pa', 'ris", "days": 1', '2}']) console.log(parser.feed(fragment))
 * parser.end() // throws if the text was not one whole JSON value
 * ```
 */
export class IncrementalJSONParser {
  readonly #maxDepth: number
  readonly #maxLength: number
  readonly #stack: Frame[] = []
  #position = 0
  #done = false
  /** Inside a string: its path (`undefined` for a key), the text of a key so far. */
  #string:
    | {
        path: (string | number)[] | undefined
        key: string
        /** Its `set` event while it is in the batch `feed` has not returned yet: text goes into it. */
        pending: { type: 'set'; path: JSONPath; value: unknown } | undefined
      }
    | undefined
  /** Inside an escape: `''` after `\`, the hex digits after `\u`. */
  #escape: string | undefined
  /** A high surrogate waiting for its low half. */
  #high: string | undefined
  /** A number or a literal being read, and its path. */
  #token: { text: string; path: (string | number)[] } | undefined

  constructor(options: IncrementalJSONParserOptions = {}) {
    this.#maxDepth = options.maxDepth ?? 512
    this.#maxLength = options.maxLength ?? 64 * 1024 * 1024
  }

  /** Parses the next fragment: the events it completed. */
  feed(fragment: string): JSONEvent[] {
    const events: JSONEvent[] = []
    if (this.#position + fragment.length > this.#maxLength)
      throw new JSONTextError(`longer than maxLength (${this.#maxLength} characters)`, this.#maxLength)
    let run = '' // string text of this fragment not yet sent
    for (let at = 0; at < fragment.length; at++, this.#position++) {
      const char = fragment[at]!
      const string = this.#string
      if (string !== undefined) {
        if (this.#escape !== undefined) {
          const piece = this.#escaped(char)
          if (piece === undefined) continue
          run += this.#pair(piece)
          continue
        }
        if (char === '\\') {
          this.#escape = ''
          continue
        }
        if (this.#high !== undefined) {
          run += this.#high
          this.#high = undefined
        }
        if (char === '"') {
          this.#endString(run, events)
          run = ''
          continue
        }
        if (char < ' ')
          throw this.#error(`a control character (U+${char.charCodeAt(0).toString(16).padStart(4, '0')}) in a string`)
        // Copy the plain run in one slice.
        let end = at + 1
        while (end < fragment.length) {
          const next = fragment[end]!
          if (next === '"' || next === '\\' || next < ' ') break
          end++
        }
        run += fragment.slice(at, end)
        this.#position += end - at - 1
        at = end - 1
        continue
      }
      if (this.#token !== undefined) {
        // Take the rest of the number or literal in one slice.
        let end = at
        while (end < fragment.length && isTokenCode(fragment.charCodeAt(end))) end++
        if (end > at) {
          this.#token.text += fragment.slice(at, end)
          this.#position += end - at - 1
          at = end - 1
          continue
        }
        this.#endToken(events)
      }
      const code = fragment.charCodeAt(at)
      if (code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09) continue
      this.#structural(char, events)
    }
    if (this.#string !== undefined) {
      if (run !== '') this.#flushString(run, events)
      this.#string.pending = undefined // returned: later text is appended
    }
    return events
  }

  /** The end of the text: throws a {@link JSONTextError} unless it was one whole JSON value. */
  end(): JSONEvent[] {
    const events: JSONEvent[] = []
    if (this.#token !== undefined) this.#endToken(events)
    if (this.#string !== undefined) throw this.#error('the text ends inside a string')
    if (this.#stack.length > 0) throw this.#error(`the text ends inside ${this.#stack.length} open container(s)`)
    if (!this.#done) throw this.#error('the text holds no value')
    return events
  }

  /** Whether a whole value has been read (more than whitespace after it is an error). */
  get done(): boolean {
    return this.#done
  }

  #structural(char: string, events: JSONEvent[]): void {
    const frame = this.#stack.at(-1)
    if (frame === undefined) {
      if (this.#done) throw this.#error(`${JSON.stringify(char)} after the value`)
      return this.#value(char, [], events)
    }
    switch (frame.state) {
      case 'key':
        if (char === '"') {
          this.#string = { path: undefined, key: '', pending: undefined }
          return
        }
        if (char === '}' && !frame.needsMember) return this.#close(events)
        throw this.#error(`${JSON.stringify(char)} where a key was expected`)
      case 'colon':
        if (char !== ':') throw this.#error(`${JSON.stringify(char)} where ':' was expected`)
        frame.state = 'value'
        return
      case 'after':
        if (char === ',') {
          frame.state = frame.kind === 'object' ? 'key' : 'value'
          frame.needsMember = true
          return
        }
        if ((char === '}' && frame.kind === 'object') || (char === ']' && frame.kind === 'array'))
          return this.#close(events)
        throw this.#error(`${JSON.stringify(char)} where ',' or '${frame.kind === 'object' ? '}' : ']'}' was expected`)
      case 'value': {
        if (char === ']' && frame.kind === 'array' && !frame.needsMember) return this.#close(events)
        const path = [...frame.path, frame.kind === 'array' ? frame.index : frame.key]
        return this.#value(char, path, events)
      }
    }
  }

  /** A value starts at `path`. */
  #value(char: string, path: (string | number)[], events: JSONEvent[]): void {
    if (char === '{' || char === '[') {
      if (this.#stack.length >= this.#maxDepth) throw this.#error(`deeper than maxDepth (${this.#maxDepth})`)
      const kind = char === '{' ? 'object' : 'array'
      events.push({ type: 'set', path, value: kind === 'object' ? {} : [] })
      this.#stack.push({
        kind,
        path,
        index: 0,
        state: kind === 'object' ? 'key' : 'value',
        needsMember: false,
        key: '',
      })
      return
    }
    if (char === '"') {
      const pending = { type: 'set' as const, path, value: '' as unknown }
      events.push(pending)
      this.#string = { path, key: '', pending }
      return
    }
    if (char === '-' || (char >= '0' && char <= '9') || char === 't' || char === 'f' || char === 'n') {
      this.#token = { text: char, path }
      return
    }
    throw this.#error(`${JSON.stringify(char)} where a value was expected`)
  }

  /** The value at the top of the stack (or the root) ended. */
  #member(): void {
    const frame = this.#stack.at(-1)
    if (frame === undefined) {
      this.#done = true
      return
    }
    if (frame.kind === 'array') frame.index++
    frame.state = 'after'
    frame.needsMember = false
  }

  #close(events: JSONEvent[]): void {
    const frame = this.#stack.pop()!
    events.push({ type: 'close', path: frame.path })
    this.#member()
  }

  #endToken(events: JSONEvent[]): void {
    const { text, path } = this.#token!
    this.#token = undefined
    let value: unknown
    if (text === 'true') value = true
    else if (text === 'false') value = false
    else if (text === 'null') value = null
    else if (NUMBER.test(text)) value = Number(text)
    else throw new JSONTextError(`${JSON.stringify(text)} is not a number or a literal`, this.#position - text.length)
    events.push({ type: 'set', path, value })
    this.#member()
  }

  /** The next character of an escape: the text it stands for once complete. */
  #escaped(char: string): string | undefined {
    const escape = this.#escape!
    if (escape === '') {
      if (char === 'u') {
        this.#escape = 'u'
        return undefined
      }
      const text = ESCAPES[char]
      if (text === undefined) throw this.#error(`\\${char} is not an escape`)
      this.#escape = undefined
      return text
    }
    if (!/[0-9a-fA-F]/.test(char)) throw this.#error(`${JSON.stringify(char)} in a \\u escape`)
    const hex = escape + char
    if (hex.length < 5) {
      this.#escape = hex
      return undefined
    }
    this.#escape = undefined
    return String.fromCharCode(Number.parseInt(hex.slice(1), 16))
  }

  /** A piece of string text from an escape, with a high surrogate held until its low half (JSON.parse keeps lone halves). */
  #pair(piece: string): string {
    const high = this.#high
    this.#high = undefined
    const code = piece.charCodeAt(0)
    if (piece.length === 1 && code >= 0xd800 && code <= 0xdbff) {
      this.#high = piece
      return high ?? ''
    }
    return (high ?? '') + piece
  }

  #flushString(run: string, events: JSONEvent[]): void {
    const string = this.#string!
    if (string.path === undefined) string.key += run
    else if (string.pending) string.pending.value = `${string.pending.value as string}${run}`
    else events.push({ type: 'append', path: string.path, text: run })
  }

  #endString(run: string, events: JSONEvent[]): void {
    if (this.#high !== undefined) {
      run += this.#high
      this.#high = undefined
    }
    const string = this.#string!
    if (string.path === undefined) {
      this.#string = undefined
      const frame = this.#stack.at(-1)!
      frame.key = string.key + run
      frame.state = 'colon'
      return
    }
    if (run !== '') this.#flushString(run, events)
    this.#string = undefined
    this.#member()
  }

  #error(why: string): JSONTextError {
    return new JSONTextError(why, this.#position)
  }
}
