// The corpus of real captures, shard 2 of 4: see corpus-suite.ts.
import { runCorpusShard } from './corpus-suite.ts'

runCorpusShard(1, 4)
