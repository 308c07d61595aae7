/**
 * The chart of docs/benchmarks.svg: MB/s of every row of the chain benchmark with 16 KiB
 * and with 64 B reads, as horizontal bars. Plain SVG written as a string, no dependency:
 * one panel per group, one bar per row, sluice's rows in blue, the group's references
 * in slate, the rest in light grey.
 */
import type { BenchGroup, BenchResult, Machine } from './harness.ts'

/** The groups of the chart, in order. */
const PANELS = ['chain, 16 KiB reads', 'chain, 64 B reads']

const WIDTH = 880
const LABEL_WIDTH = 320
const VALUE_WIDTH = 70
const BAR_HEIGHT = 16
const ROW_HEIGHT = 22
const PANEL_GAP = 36
const TITLE_HEIGHT = 46

const COLORS = { sluice: '#2563eb', reference: '#64748b', other: '#cbd5e1' }

/** The SVG document. */
export function chainChart(groups: readonly BenchGroup[], results: readonly BenchResult[], machine: Machine): string {
  const barSpace = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 20
  const parts: string[] = []
  let y = TITLE_HEIGHT
  for (const panel of PANELS) {
    const rows = results.filter((row) => row.group === panel)
    if (rows.length === 0) continue
    const max = Math.max(...rows.map((row) => row.median))
    const references = new Set(
      groups.find((group) => group.name === panel)?.references?.map((reference) => reference.case),
    )
    parts.push(`<text x="10" y="${y + 14}" class="panel">${escapeXML(panel)}: MB/s, median (longer is faster)</text>`)
    y += 26
    for (const row of rows) {
      const width = Math.max(1, (row.median / max) * barSpace)
      const color = row.case.startsWith('sluice')
        ? COLORS.sluice
        : references.has(row.case)
          ? COLORS.reference
          : COLORS.other
      parts.push(
        `<text x="${LABEL_WIDTH - 8}" y="${y + 12}" text-anchor="end">${escapeXML(row.case)}</text>`,
        `<rect x="${LABEL_WIDTH}" y="${y}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" fill="${color}"/>`,
        `<text x="${(LABEL_WIDTH + width + 6).toFixed(1)}" y="${y + 12}">${format(row.median)}</text>`,
      )
      y += ROW_HEIGHT
    }
    y += PANEL_GAP
  }
  const footer = `${machine.cpu}, ${machine.cores} cores; Node ${machine.node}; ${machine.date.slice(0, 10)}; 8 MiB OpenAI-style stream, same bytes and reads for every row`
  parts.push(`<text x="10" y="${y - 12}" class="footer">${escapeXML(footer)}</text>`)
  const height = y
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, -apple-system, sans-serif" font-size="12">`,
    '<style>.title { font-size: 16px; font-weight: 600 } .panel { font-size: 13px; font-weight: 600 } .footer { fill: #475569; font-size: 11px }</style>',
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    '<text x="10" y="24" class="title">Bytes to chat completion chunks: sluice against the alternatives (pnpm bench)</text>',
    ...parts,
    '</svg>',
    '',
  ].join('\n')
}

function format(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1)
}

function escapeXML(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
