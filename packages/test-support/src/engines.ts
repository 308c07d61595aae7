// The engines the suite runs in, and what each one's Web platform has that sluice's users
// meet: the one table that packages/compose/test/engine-support.test.ts checks in every
// engine (a probe per feature) and that docs/runtimes.md states (checked by
// engine-support-docs.node.test.ts). When an engine changes, the probe fails: update the
// row here, then the docs.

/** An engine `pnpm test` runs. */
export type Engine = 'node' | 'deno' | 'bun' | 'workerd' | 'chromium' | 'firefox' | 'webkit'

/** A Web platform feature sluice's users meet, and how sluice works around its absence. */
export interface EngineFeature {
  /** What is probed, as the docs name it. */
  name: string
  /** Where it is missing: what sluice (or the user) does instead. */
  workaround: string
}

/** The features probed in each engine, keyed by a short id. */
export const FEATURES = {
  asyncIterator: {
    name: '`for await` over a `ReadableStream`',
    workaround: "sluice's streams add a reader-based iterator (`asyncIterable()`); wrap `response.body` in it",
  },
  readableFrom: {
    name: '`ReadableStream.from()`',
    workaround: '`new ReadableStream({ pull })` over the iterator; `chatStream()` accepts an async iterable itself',
  },
  cancelHook: {
    name: "a native `TransformStream` calls its transformer's `cancel`",
    workaround:
      "sluice's `…Stream`s and `iterate()` call it themselves; put a plain transformer in `OrderedTransformStream`",
  },
  textDecoderStream: {
    name: '`TextDecoderStream`',
    workaround: "`LineSplitterStream` decodes bytes itself; it is needed only for eventsource-parser's stream",
  },
  responseBody: {
    name: '`new Response(readable)` reads the stream back',
    workaround: 'none needed: `mockChatResponse()` and `toSSEResponse()` rely on it',
  },
  bomAfterStart: {
    name: 'a streaming `TextDecoder` keeps a BOM that is not at the start of the stream',
    workaround: '`@sluice/lines` drops the one leading BOM itself, so this does not reach you',
  },
  doneHasValue: {
    name: '`read()` at the end resolves `{ done: true, value: undefined }` with a `value` key',
    workaround: 'sluice never reads `value` of a done result',
  },
} satisfies Record<string, EngineFeature>

export type FeatureId = keyof typeof FEATURES

/** Every feature there: what most engines have. */
const EVERY_FEATURE: Record<FeatureId, boolean> = {
  asyncIterator: true,
  readableFrom: true,
  cancelHook: true,
  textDecoderStream: true,
  responseBody: true,
  bomAfterStart: true,
  doneHasValue: true,
}

/** Per engine: the version the suite ran, and whether each feature is there. */
export const ENGINES: Record<Engine, { label: string; version: string; has: Record<FeatureId, boolean> }> = {
  node: { label: 'Node', version: '20.20.2', has: EVERY_FEATURE },
  deno: { label: 'Deno', version: '2.9.6', has: EVERY_FEATURE },
  bun: { label: 'Bun', version: '1.4.5', has: EVERY_FEATURE },
  workerd: {
    label: 'workerd (Cloudflare Workers)',
    version: '1.20261117.1',
    has: { ...EVERY_FEATURE, doneHasValue: false },
  },
  chromium: { label: 'Chromium', version: '156', has: { ...EVERY_FEATURE, readableFrom: false, cancelHook: false } },
  firefox: { label: 'Firefox ESR', version: '153', has: { ...EVERY_FEATURE, cancelHook: false } },
  webkit: {
    label: 'WebKitGTK (Safari’s engine)',
    version: '2.50',
    has: { ...EVERY_FEATURE, asyncIterator: false, readableFrom: false, cancelHook: false },
  },
}

/** The engine this code runs in, from its globals and user agent. */
export function currentEngine(): Engine {
  const global = globalThis as { Deno?: unknown; Bun?: unknown; process?: { versions?: { node?: string } } }
  if (global.Deno) return 'deno'
  if (global.Bun) return 'bun'
  const agent = globalThis.navigator?.userAgent ?? ''
  if (agent === 'Cloudflare-Workers') return 'workerd'
  if (global.process?.versions?.node && !/Chrome|Firefox|AppleWebKit/.test(agent)) return 'node'
  if (/Firefox\//.test(agent)) return 'firefox'
  if (/Chrome\//.test(agent)) return 'chromium'
  if (/AppleWebKit\//.test(agent)) return 'webkit'
  throw new Error(`unknown engine, user agent ${JSON.stringify(agent)}: add it to packages/test-support/src/engines.ts`)
}

/** The engines in the order the docs list them. */
const ORDER: Engine[] = ['node', 'deno', 'bun', 'workerd', 'chromium', 'firefox', 'webkit']

/**
 * The support table of docs/runtimes.md, as Markdown: a row per feature, a column per engine
 * (✓ or ✗), then what is done where it is missing. The docs state it verbatim.
 */
export function supportTable(): string {
  const header = ['', ...ORDER.map((engine) => `${ENGINES[engine].label} ${ENGINES[engine].version}`), 'Where missing']
  const rows = (Object.keys(FEATURES) as FeatureId[]).map((id) => [
    FEATURES[id].name,
    ...ORDER.map((engine) => (ENGINES[engine].has[id] ? '✓' : '✗')),
    ORDER.every((engine) => ENGINES[engine].has[id]) ? '' : FEATURES[id].workaround,
  ])
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`
  return [
    line(header),
    line(header.map((_, index) => (index === 0 || index === header.length - 1 ? '---' : ':-:'))),
    ...rows.map(line),
  ].join('\n')
}
