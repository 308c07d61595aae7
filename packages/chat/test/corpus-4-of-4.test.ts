// The corpus of real captures, shard 4 of 4: see corpus-suite.ts.
import { runCorpusShard } from './corpus-suite.ts'

runCorpusShard(3, 4)
