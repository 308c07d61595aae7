// `pnpm fuzz`: long seeded runs of the byte-level fuzzer of every path (packages/chat/test/fuzz.ts)
// in Node; `pnpm test` runs 150 cases of one seed in every runtime. A failure names its seed
// and case; rerun just that case with `--seed S --from N --runs 1`.
//
//   pnpm fuzz [--seed N] [--runs N] [--from N] [--seeds N]
import { parseArgs } from 'node:util'
import { fuzz, type Tally } from '../packages/chat/test/fuzz.ts'

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
    seeds: { type: 'string', default: '1' },
    runs: { type: 'string', default: '2000' },
    from: { type: 'string', default: '0' },
  },
})
const [first, seeds, runs, from] = [values.seed, values.seeds, values.runs, values.from].map(Number) as [
  number,
  number,
  number,
  number,
]
const started = performance.now()
const tally: Tally = {}
for (let seed = first; seed < first + seeds; seed++) {
  console.log(`seed ${seed}: cases ${from} to ${from + runs - 1}`)
  await fuzz(seed, runs, from, tally)
}
const cases = Object.values(tally).reduce((sum, count) => sum + count, 0)
console.log(
  `${cases} cases in ${((performance.now() - started) / 1000).toFixed(1)} s, every path agreeing with the model; endings:`,
)
for (const [ending, count] of Object.entries(tally).sort((a, b) => b[1] - a[1]))
  console.log(`  ${ending.padEnd(28)} ${count}`)
