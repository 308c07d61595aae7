/** A captured server-sent event stream in a test's `fixtures/` folder, imported as its text (esbuild's text loader). */
declare module '*.sse' {
  const text: string
  export default text
}

/** A captured response body that is not an event stream (`*.json.txt`), imported as its text. */
declare module '*.txt' {
  const text: string
  export default text
}
