/**
 * JSON text that is not JSON (or not yet whole at `end()`), or beyond a limit, with where: the
 * 0-based offset of the character in the whole text.
 *
 * @example
 * ```ts
 * import { IncrementalJSONParser, JSONTextError } from '@sluice/json'
 *
 * try {
 *   new IncrementalJSONParser().feed('{"a" 1}')
 * } catch (error) {
 *   if (error instanceof JSONTextError) console.error(error.position, error.message) // 5 JSON text at 5: "1" where ':' was expected
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
