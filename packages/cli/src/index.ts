// The library behind the `sluice` command: the linter, and the command line as a function.
export { main } from './main.ts'
export { lintStream } from './lint/lint-stream.ts'
export { lintGeminiStream, lintMessagesStream, lintResponsesStream } from './lint/lint-translated.ts'
export type { LintProblem, LintReport, Severity } from './lint/lint-stream.ts'
export type { Output, Style } from './output.ts'
export { SluiceError } from '@sluice/compose'
