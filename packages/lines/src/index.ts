export { LineSplitter, LineSplitterStream } from './line-splitter.ts'
export type { LineSplitterInput, LineSplitterOptions } from './line-splitter.ts'
export { InvalidChunkError, InvalidUTF8Error, LineSplitterError, LineTooLongError } from './errors.ts'
