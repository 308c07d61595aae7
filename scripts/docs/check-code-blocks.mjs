#!/usr/bin/env node
// Type-checks every TypeScript code block of the docs, so that an example cannot drift
// from the API: the ```ts and ```typescript blocks of README.md, docs/*.md and
// packages/*/README.md, and the `@example` blocks of the doc comments in packages/*/src.
//
//   node scripts/docs/check-code-blocks.mjs
//
// Each block is written to .cache/code-blocks/ as a module of its own (so top-level await
// and top-level `const`s work, and blocks do not see each other's names), next to
// prelude.d.ts, which declares the few free names the docs use without defining them
// (`response`, `apiKey`, …). Then one `tsc` run checks them all, with the workspace's
// strict settings and Node's types; `@sluice/*` imports resolve to the packages'
// TypeScript sources (their `sluice-source` export condition), so no build is needed.
// Errors are reported at the line of the Markdown or source file:
//
//   docs/outcomes.md:52 (block 3): error TS2339: Property 'outcome' does not exist on type …
//
// A Markdown block that is not TypeScript to run (a diff, pseudo-code) opts out with a
// comment on the line before its fence, giving the reason:
//
//   <!-- not-checked: a diff of the hand-rolled loop, not a program -->
//
// Exits non-zero when a block fails, or when an opt-out gives no reason.
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const root = fileURLToPath(new URL('../..', import.meta.url))
const out = join(root, '.cache', 'code-blocks')

/**
 * Packages whose README and doc comments are not checked yet: they are being written.
 * Remove a name once the package exports its API (and add it to typedoc.json's entryPoints).
 */
export const PACKAGES_NOT_READY = []

/**
 * Free names the docs may use without defining them, declared once for every block.
 * Keep it small and honest: a value a reader obviously has at that point of a guide.
 * Prefer defining a name in the block itself.
 */
const PRELUDE = `// Free names the docs use without defining them (scripts/docs/check-code-blocks.mjs).
/** The response of a streaming chat completion request (\`stream: true\`). */
declare const response: Response
/** The provider's base URL, e.g. \`https://api.openai.com/v1\`. */
declare const baseURL: string
/** The API key. */
declare const apiKey: string
/** The conversation sent to the model. */
declare const messages: { role: 'system' | 'user' | 'assistant'; content: string }[]
/** The app's own rendering. */
declare function render(...args: unknown[]): void
`

const LANGUAGES = new Set(['ts', 'typescript'])
const OPT_OUT = /^<!--\s*not-checked:(.*?)-->\s*$/

/** @typedef {{ source: string, line: number, index: number, code: string }} Block */
/** @typedef {{ source: string, line: number, message: string }} Problem */

/**
 * The fenced blocks of Markdown text, CommonMark style: a fence of 3+ backticks or tildes,
 * possibly indented (inside a list), closed by a fence of the same kind at least as long.
 * `line` is the 1-based line of the block's first line of code.
 * @returns {{ blocks: Block[], problems: Problem[] }}
 */
export function markdownBlocks(text, source) {
  const lines = text.split(/\r?\n/)
  const blocks = []
  const problems = []
  let index = 0
  for (let at = 0; at < lines.length; at++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)/.exec(lines[at])
    if (!open) continue
    const [, indent, fence, language] = open
    const body = []
    let end = at + 1
    for (; end < lines.length; end++) {
      const close = /^\s*(`{3,}|~{3,})\s*$/.exec(lines[end])
      if (close && close[1][0] === fence[0] && close[1].length >= fence.length) break
      body.push(lines[end].startsWith(indent) ? lines[end].slice(indent.length) : lines[end].trimStart())
    }
    if (LANGUAGES.has(language.toLowerCase())) {
      index++
      const before = previousNonBlank(lines, at)
      const optOut = before === undefined ? null : OPT_OUT.exec(before.trim())
      if (optOut && optOut[1].trim() === '') {
        problems.push({ source, line: at + 1, message: `(block ${index}): <!-- not-checked: … --> must give a reason` })
      } else if (!optOut) {
        blocks.push({ source, line: at + 2, index, code: body.join('\n') })
      }
    }
    at = end
  }
  return { blocks, problems }
}

function previousNonBlank(lines, at) {
  for (let line = at - 1; line >= 0; line--) if (lines[line].trim() !== '') return lines[line]
  return undefined
}

/**
 * The ```ts blocks inside the `/** … *\/` comments of a source file (its `@example`s).
 * @returns {Block[]}
 */
export function commentBlocks(text, source) {
  const lines = text.split('\n')
  const blocks = []
  let index = 0
  for (let at = 0; at < lines.length; at++) {
    if (!/^\s*\/\*\*/.test(lines[at]) || lines[at].includes('*/')) continue
    // The comment's lines without their ` * ` margin, with the line number each came from.
    const content = []
    let end = at + 1
    for (; end < lines.length && !/^\s*\*\//.test(lines[end]); end++) {
      content.push({ text: lines[end].replace(/^\s*\* ?/, ''), line: end + 1 })
    }
    for (let line = 0; line < content.length; line++) {
      const open = /^(`{3,})\s*(\S*)/.exec(content[line].text)
      if (!open) continue
      const body = []
      let close = line + 1
      while (close < content.length && !content[close].text.startsWith(open[1])) body.push(content[close++].text)
      if (LANGUAGES.has(open[2].toLowerCase())) {
        blocks.push({ source, line: content[line].line + 1, index: ++index, code: body.join('\n') })
      }
      line = close
    }
    at = end
  }
  return blocks
}

/** README.md, docs/*.md, and the README and sources of each package that is ready. */
function sources() {
  const packages = readdirSync(join(root, 'packages'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !PACKAGES_NOT_READY.includes(entry.name))
    .map((entry) => join('packages', entry.name))
  const markdown = [
    'README.md',
    ...readdirSync(join(root, 'docs'))
      .filter((name) => name.endsWith('.md'))
      .sort()
      .map((name) => join('docs', name)),
    ...packages.map((dir) => join(dir, 'README.md')),
  ].filter((file) => existsSync(join(root, file)))
  const code = packages.flatMap((dir) => tsFiles(join(dir, 'src')))
  return { markdown, code }
}

function tsFiles(dir) {
  if (!existsSync(join(root, dir))) return []
  return readdirSync(join(root, dir), { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) return tsFiles(path)
      return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : []
    })
    .sort()
}

/**
 * `paths` for every workspace package export that has a `sluice-source` condition, so that
 * `@sluice/openai` (and subpaths such as `@sluice/testing/server`) resolve to TypeScript
 * sources: the root node_modules links only some of the packages.
 */
function sourcePaths() {
  const paths = {}
  for (const entry of readdirSync(join(root, 'packages'), { withFileTypes: true })) {
    const manifest = join(root, 'packages', entry.name, 'package.json')
    if (!entry.isDirectory() || !existsSync(manifest)) continue
    const pkg = JSON.parse(readFileSync(manifest, 'utf8'))
    for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
      const file = typeof target === 'object' && target !== null ? target['sluice-source'] : undefined
      if (typeof file !== 'string') continue
      paths[subpath === '.' ? pkg.name : `${pkg.name}/${subpath.replace(/^\.\//, '')}`] = [
        relative(out, join(root, 'packages', entry.name, file)),
      ]
    }
  }
  return paths
}

/** Writes the blocks, the prelude and a tsconfig; runs tsc once; maps its errors back. */
export async function checkCodeBlocks() {
  const { markdown, code } = sources()
  const blocks = []
  const problems = []
  for (const file of markdown) {
    const found = markdownBlocks(readFileSync(join(root, file), 'utf8'), file)
    blocks.push(...found.blocks)
    problems.push(...found.problems)
  }
  for (const file of code) blocks.push(...commentBlocks(readFileSync(join(root, file), 'utf8'), file))

  rmSync(out, { recursive: true, force: true })
  mkdirSync(out, { recursive: true })
  writeFileSync(join(out, 'prelude.d.ts'), PRELUDE)
  /** @type {Map<string, Block>} */
  const byFile = new Map()
  for (const block of blocks) {
    const file = join(block.source.replace(/[^\w.-]+/g, '_'), `block-${String(block.index).padStart(2, '0')}.ts`)
    mkdirSync(join(out, dirname(file)), { recursive: true })
    writeFileSync(join(out, file), `${block.code}\n`)
    byFile.set(file, block)
  }
  const tsconfig = {
    extends: relative(out, join(root, 'tsconfig.base.json')),
    compilerOptions: {
      // Node's types, and async iteration of a ReadableStream (Node, Deno, Bun, workerd and
      // Chromium have it; docs/browsers.md says where it is missing).
      types: ['node'],
      lib: ['ES2022', 'DOM', 'DOM.Iterable', 'DOM.AsyncIterable'],
      // Every block is a module: top-level await and top-level names of its own.
      moduleDetection: 'force',
      module: 'ESNext',
      target: 'ES2022',
      // An example may define a name only to show it.
      noUnusedLocals: false,
      noUnusedParameters: false,
      paths: sourcePaths(),
    },
    include: ['**/*.ts'],
  }
  writeFileSync(join(out, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`)

  let output = ''
  try {
    await promisify(execFile)(
      process.execPath,
      [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(out, 'tsconfig.json'), '--pretty', 'false'],
      {
        cwd: out,
        maxBuffer: 64 << 20,
      },
    )
  } catch (error) {
    output = `${error.stdout ?? ''}${error.stderr ?? ''}`
    if (!output.trim()) throw error
  }
  // `file(line,col): error TS1234: message`, then indented continuation lines.
  for (const entry of output.split(/\n(?=\S)/)) {
    if (!entry.trim()) continue
    const match = /^(.+?)\((\d+),(\d+)\): (error TS\d+: [\s\S]*)$/.exec(entry.trim())
    const block = match ? byFile.get(match[1].split('\\').join('/')) : undefined
    if (!match || !block) {
      problems.push({ source: '.cache/code-blocks', line: 0, message: entry.trim() })
      continue
    }
    problems.push({
      source: block.source,
      line: block.line + Number(match[2]) - 1,
      message: `(block ${block.index}): ${match[4]}`,
    })
  }
  return { blocks, markdown, code, problems }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { blocks, markdown, code, problems } = await checkCodeBlocks()
  for (const { source, line, message } of problems) console.log(`${source}${line ? `:${line}` : ''} ${message}`)
  const fromComments = blocks.filter((block) => block.source.endsWith('.ts')).length
  console.log(
    `${blocks.length} code blocks (${blocks.length - fromComments} in ${markdown.length} Markdown files, ${fromComments} in the doc comments of ${code.length} source files): ` +
      (problems.length === 0 ? 'all type-check' : `${problems.length} error${problems.length === 1 ? '' : 's'}`),
  )
  process.exitCode = problems.length === 0 ? 0 : 1
}
