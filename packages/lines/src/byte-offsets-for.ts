/**
 * Whether a line splitter should track byte offsets (`trackByteOffsets`): as the option
 * says, else when one of the tracing hooks that report offsets (`onEvent`, `onChunk`) is
 * set. The one rule the fused parsers and the front door apply.
 *
 * @example
 * ```ts
 * import { byteOffsetsFor, LineSplitter } from '@sluice/lines'
 *
 * const onEvent = (event: unknown, info: { byteOffset: number | undefined }) => console.debug(info.byteOffset)
 * const lines = new LineSplitter({ trackByteOffsets: byteOffsetsFor(undefined, onEvent) }) // true
 * ```
 */
export function byteOffsetsFor(trackByteOffsets: boolean | undefined, ...hooks: unknown[]): boolean {
  return trackByteOffsets ?? hooks.some((hook) => hook !== undefined)
}
