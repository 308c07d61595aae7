// Imported by every test bundle BEFORE uvu: with UVU_DEFER set, uvu does not start
// running on its own (workerd forbids the setTimeout it would call at load time) and
// `test.run()` only queues the suite. Each bundle keeps its own queue, so bundles can
// be loaded one after another in one page or one worker.
globalThis.UVU_DEFER = 1
globalThis.UVU_INDEX = 0
export const queue = (globalThis.UVU_QUEUE = [[null]])
