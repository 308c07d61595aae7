// The corpus of real captures, shard 3 of 4: see corpus-suite.ts.
import { runCorpusShard } from './corpus-suite.ts'

runCorpusShard(2, 4)
