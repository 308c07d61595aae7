/**
 * Imported first by import-without-streams.test.ts: deletes every stream global of the
 * runtime (own properties of the global object or of its prototypes, as in workerd), so
 * that the sluice modules imported next load where there are none (an old runtime, a
 * sandbox). streams-restored.ts puts them back.
 */
export const removed: [object, string, PropertyDescriptor][] = []

const STREAM_GLOBAL = /Stream|^ByteLengthQueuingStrategy$|^CountQueuingStrategy$/
for (
  let holder: object | null = globalThis;
  holder !== null && holder !== Object.prototype;
  holder = Object.getPrototypeOf(holder)
) {
  for (const name of Object.getOwnPropertyNames(holder)) {
    if (!STREAM_GLOBAL.test(name)) continue
    const descriptor = Object.getOwnPropertyDescriptor(holder, name)
    if (!descriptor?.configurable) continue
    removed.push([holder, name, descriptor])
    delete (holder as Record<string, unknown>)[name]
  }
}
/** Whether the realm had no TransformStream when the sluice modules were imported. */
export const hadNoTransformStream = typeof (globalThis as { TransformStream?: unknown }).TransformStream === 'undefined'
