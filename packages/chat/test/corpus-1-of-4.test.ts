// The corpus of real captures, shard 1 of 4: see corpus-suite.ts.
import { runCorpusShard } from './corpus-suite.ts'

runCorpusShard(0, 4)
