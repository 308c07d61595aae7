/**
 * The whole chain, side by side: a streamed chat completion's response body in, chunks (or
 * the assembled completion) out, by every way people write it today, on the same bytes in
 * the same reads, in one process. The rows the performance targets in docs/benchmarks.md
 * are stated against.
 *
 * Run: `pnpm bench` from the repository root (builds the packages, then runs every
 * `*.bench.ts`), or `pnpm bench chain` for this file only; `pnpm bench --quick` runs every
 * row on 1 MiB with fewer runs. `@sluice/*` is imported by package name, so this measures
 * the built `dist` users install, not the sources. The cases and groups are in
 * chain-groups.ts, so that `pnpm bench --runtime <name>` runs them in Deno, Bun, workerd and
 * the browsers too (runtimes/runtime-bench.ts).
 *
 * Why the method is sound:
 * - Same input for every row of a group: 8 MiB (1 MiB with `--quick`) of an OpenAI-style
 *   stream, built by inputs.ts from a seeded generator: a reply that answers and then calls
 *   tools, with non-ASCII text (é, 🦕, 日本語 …), escaped newlines, and tool-call arguments
 *   that are JSON escaped twice over (`{\"path\":…`), `data: [DONE]` last. One group reads
 *   it with CRLF line endings.
 * - Same chunking for every row: the bytes are sliced once, before timing, into reads of
 *   16 KiB, 1 KiB, 64 B, or one event per read (each read ends at an event's blank line, as
 *   a server that flushes every event hands them out), and every case reads them from a
 *   `new ReadableStream({ pull })` that enqueues one read per pull, as a response body does.
 *   The SDK rows get that stream as the body of the `Response` their `fetch` returns.
 * - Every run parses every event's JSON and reads every chunk, concatenating
 *   `choices[0].delta.content`; the rows that assemble the completion return its final
 *   message (role, content, every tool call, finish reason). Every run's result is checked
 *   against what the generator wrote, so no case can win by leaving work undone.
 * - Two references for the ratios: eventsource-parser's stream with `JSON.parse`, what most
 *   code that does not use an SDK runs, and the floor: one reader loop over the same stream
 *   that decodes, finds each event's end with `indexOf` and parses its JSON, with no stream
 *   stage, no SSE rules and no checks. Nothing that reads the same stream does less.
 * - All rows run in one process, round-robin after warm-up, and the median is reported
 *   (see harness-core.ts).
 */
import { chainGroups } from './chain-groups.ts'
import type { BenchGroup } from './harness.ts'
import { MiB, scaled } from './inputs.ts'

/** The length of every group's stream. */
const SIZE = scaled(8 * MiB, 1 * MiB)

export const groups: BenchGroup[] = chainGroups({ size: SIZE })
