/** A chunk of the input: a `Uint8Array` with its own `ArrayBuffer`, as a response body reads. */
export type Bytes = Uint8Array<ArrayBuffer>
