/**
 * Type-level tests, checked by `tsc -p tsconfig.test.json` (part of `pnpm test`): compose
 * infers the chain's input and output, and rejects stages whose types do not meet.
 */
import { compose } from '../src/index.ts'

declare const bytesToText: Transformer<Uint8Array, string>
declare const textToNumber: Transformer<string, number>
declare const numberToBoolean: Transformer<number, boolean>

export const chain: Transformer<Uint8Array, boolean> = compose(bytesToText, textToNumber, numberToBoolean)

// @ts-expect-error textToNumber outputs numbers, bytesToText takes bytes
export const mismatched = compose(textToNumber, bytesToText)

// @ts-expect-error the chain outputs booleans, not strings
export const wrongOutput: Transformer<Uint8Array, string> = compose(bytesToText, textToNumber, numberToBoolean)
