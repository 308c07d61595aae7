/** Imported after the sluice modules by import-without-streams.test.ts: puts the stream globals back. */
import { removed } from './streams-removed.ts'

for (const [holder, name, descriptor] of removed) Object.defineProperty(holder, name, descriptor)
