export { IncrementalJSONParser, JSONTextError } from './incremental-json-parser.ts'
export type { IncrementalJSONParserOptions, JSONEvent, JSONPath } from './incremental-json-parser.ts'
export { JSONAssembler } from './json-assembler.ts'
