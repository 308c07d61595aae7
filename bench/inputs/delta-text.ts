/** The seed of every generator: the same text on every run and every machine. */
export const SEED = 0x5eed

/** Words of the generated replies: mostly English, with accents, emoji and other scripts. */
export const WORDS = [
  'the',
  'stream',
  'token',
  'model',
  'response',
  'delta',
  'chunk',
  'line',
  'event',
  'data',
  'a',
  'of',
  'to',
  'and',
  'is',
  'in',
  'that',
  'it',
  'for',
  'with',
  'as',
  'on',
  'by',
  'café',
  'naïve',
  'é',
  'über',
  'señor',
  'façade',
  '—',
  '…',
  '“quoted”',
  '🦕',
  '🚀',
  '✓',
  '日本語',
  '中文',
  'Ελληνικά',
  'русский',
  'العربية',
  '👍🏽',
]

/** The text of one content delta: mostly a token or two, as models stream them; sometimes a longer run of words. */
export function deltaText(random: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
  const words = random() < 0.8 ? 1 + Math.floor(random() * 3) : 4 + Math.floor(random() * 20)
  let text = ''
  for (let i = 0; i < words; i++) text += ' ' + pick(WORDS)
  if (random() < 0.05) text += '\n\n' // escaped as \n inside the JSON: no raw LF in the line
  return text
}
