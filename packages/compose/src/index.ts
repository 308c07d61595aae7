export { compose } from './compose.ts'
export type { ComposedTransformer } from './compose.ts'
export { iterate } from './iterate.ts'
export { AsyncStageError } from './errors.ts'
