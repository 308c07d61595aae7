/** What the json tests share: splitting a text, and events as one fragment would give them. */
import fc from 'fast-check'
import type { JSONEvent } from '../src/index.ts'

/** Appends folded into the `set` before them at the same path: the events one fragment would give. */
export function coalesced(events: readonly JSONEvent[]): JSONEvent[] {
  const out: JSONEvent[] = []
  for (const event of events) {
    const last = out.at(-1)
    if (event.type === 'append' && last?.type === 'set' && JSON.stringify(last.path) === JSON.stringify(event.path))
      out[out.length - 1] = { ...last, value: `${last.value as string}${event.text}` }
    else out.push(event)
  }
  return out
}

/** `text` cut at the given fractions of its length (0 to 1; repeated cuts give one cut). */
export function split(text: string, fractions: readonly number[]): string[] {
  const at = [...new Set(fractions.map((fraction) => Math.floor(fraction * text.length)))].sort((a, b) => a - b)
  return [0, ...at].map((start, index) => text.slice(start, at[index] ?? text.length))
}

/** Up to 20 cuts, as fractions of a text's length. */
export const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 20 })
