/**
 * fast-check generators of event streams, shared by the property tests of this package.
 */
import fc from 'fast-check'

/** Text without CR or LF: any Unicode (all planes), biased towards what the parser looks at. */
export const lineText = (maxLength = 12) =>
  fc
    .string({
      unit: fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(':', ' ', 'a', 'é', '🦕', '\0', '\uFEFF', 'data', '[DONE]') },
        { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
      ),
      maxLength,
    })
    .map((text) => text.replace(/[\r\n]/g, ''))

/** What separates a field name from its value: no colon at all, a colon, colon + one or two spaces. */
const separator = fc.constantFrom('', ':', ': ', ':  ')

/** A field line with the given names. */
const field = (names: readonly string[], value = lineText()) =>
  fc
    .tuple(fc.constantFrom(...names), separator, value)
    .map(([name, sep, text]) => (sep === '' ? name : `${name}${sep}${text}`))

/** A comment line. */
const comment = lineText().map((text) => `:${text}`)

/** A line that is no known field (unknown names, garbage), never empty. */
const garbage = fc.oneof(
  field(['foo', 'Data', 'DATA', 'ID', 'da ta', 'retry ']),
  lineText().filter((text) => text.length > 0),
)

const terminator = fc.constantFrom('\n', '\r\n', '\r')

export interface StreamOptions {
  /** Allow `id` fields in a block that has no `data` field (the one place where eventsource-parser departs from the spec). */
  idWithoutData?: boolean
  /** Allow ids containing NULL. */
  nullInId?: boolean
}

/**
 * Lines of one block (no blank line): data, event, id and retry fields, comments and garbage.
 */
const block = ({ idWithoutData = true, nullInId = true }: StreamOptions) => {
  const idValue = nullInId ? lineText() : lineText().map((text) => text.replace(/\0/g, ''))
  const line = fc.oneof(
    { weight: 4, arbitrary: field(['data']) },
    { weight: 1, arbitrary: field(['event']) },
    { weight: 1, arbitrary: field(['id'], idValue) },
    { weight: 1, arbitrary: field(['retry'], fc.oneof(fc.nat().map(String), lineText(4))) },
    { weight: 1, arbitrary: comment },
    { weight: 1, arbitrary: garbage },
  )
  return fc.array(line, { maxLength: 6 }).map((lines) => {
    if (idWithoutData || !lines.some((text) => text.startsWith('id')) || lines.some(isDataLine)) return lines
    return [...lines, 'data: added so the id has data']
  })
}

const isDataLine = (text: string) => text === 'data' || text.startsWith('data:')

/**
 * A whole event stream as text: blocks separated by blank lines, each line ended by a
 * random terminator (LF, CRLF or CR), the last block closed or not.
 */
export const eventStream = (options: StreamOptions = {}) =>
  fc
    .tuple(fc.array(block(options), { maxLength: 6 }), fc.boolean(), fc.infiniteStream(terminator))
    .map(([blocks, closeLast, terminators]) => {
      const lines: string[] = []
      blocks.forEach((lines_, index) => {
        lines.push(...lines_)
        if (index < blocks.length - 1 || closeLast) lines.push('')
      })
      const endings = terminators.take(lines.length)
      let text = ''
      for (const line of lines) text += line + (endings.next().value as string)
      return text
    })
