// A byte stream that hands out prepared reads on a timeline: the pacing of the mock
// stream and of the mock server's replays. Internal: not exported from the package.

/** One read, and how long to wait before it. */
export interface PacedRead {
  bytes: Uint8Array
  /** Milliseconds between the reader's request and this read (0: at once). */
  delayMs: number
}

/**
 * A stream of `reads`, each `delayMs` after it is asked for (with `setTimeout`, which
 * workerd and browsers allow). Aborting `signal` errors it with the signal's reason, as
 * `fetch` errors a body; cancelling it clears the timer.
 */
export function pacedStream(reads: readonly PacedRead[], signal?: AbortSignal): ReadableStream<Uint8Array> {
  let index = 0
  /** Set once the stream is closed, errored or cancelled: nothing is enqueued after. */
  let finished = false
  let timer: ReturnType<typeof setTimeout> | undefined
  let wake: (() => void) | undefined
  let onAbort: (() => void) | undefined

  const finish = () => {
    finished = true
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
    wake?.()
    if (onAbort) signal?.removeEventListener('abort', onAbort)
  }
  const pause = (delayMs: number) =>
    new Promise<void>((resolve) => {
      wake = resolve
      timer = setTimeout(resolve, delayMs)
    })

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        if (signal?.aborted) {
          finished = true
          controller.error(signal.reason)
          return
        }
        if (signal) {
          onAbort = () => {
            if (finished) return
            finish()
            controller.error(signal.reason)
          }
          signal.addEventListener('abort', onAbort)
        }
        if (reads.length === 0) {
          finish()
          controller.close()
        }
      },
      async pull(controller) {
        const { bytes, delayMs } = reads[index]!
        if (delayMs > 0) await pause(delayMs)
        if (finished) return
        index++
        // A copy: a consumer may transfer (detach) the buffer it reads, and reads share one.
        controller.enqueue(bytes.slice())
        if (index === reads.length) {
          finish()
          controller.close()
        }
      },
      cancel() {
        finish()
      },
    },
    // Nothing is read ahead: each read waits its turn, as on a network.
    { highWaterMark: 0 },
  )
}
