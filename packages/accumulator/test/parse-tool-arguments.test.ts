/**
 * `parseToolArguments(toolCall, schema?)`: JSON, then (with a schema) a Standard Schema
 * validation, with the three libraries that implement the specification and a hand-written
 * schema. A validator that returns a promise makes the call return one.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { type } from 'arktype'
import * as v from 'valibot'
import { z } from 'zod'
import { rejection } from '@sluice/test-support'
import {
  type ChatCompletionToolCall,
  parseToolArguments,
  type StandardSchemaV1,
  ToolArgumentsError,
  ToolArgumentsValidationError,
} from '../src/index.ts'

const call = (args: string, name = 'get_weather'): ChatCompletionToolCall => ({
  id: 'call_1',
  type: 'function',
  function: { name, arguments: args },
})

/** What `run` throws, or `undefined`. */
function thrown(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    return error
  }
  return undefined
}

/** Whether `value` is a promise (a validator that answered asynchronously). */
const isPromise = (value: unknown): value is Promise<unknown> => value instanceof Promise

/** The paths of `issues`, as plain arrays of keys (ArkType's path is an Array subclass). */
const paths = (issues: readonly StandardSchemaV1.Issue[]) =>
  issues.map((issue) =>
    Array.from(issue.path ?? [], (segment) => (typeof segment === 'object' ? segment.key : segment)),
  )

// ---------------------------------------------------------------- without a schema

test('parseToolArguments parses the JSON arguments, and an empty string as {}', () => {
  assert.equal(parseToolArguments(call('{"city":"Paris"}')), { city: 'Paris' })
  assert.equal(parseToolArguments(call(' ')), {})
})

test('parseToolArguments throws ToolArgumentsError for arguments that are not JSON, with or without a schema', () => {
  const error = thrown(() => parseToolArguments(call('{"city": "Par')))
  assert.instance(error, ToolArgumentsError)
  assert.is((error as ToolArgumentsError).text, '{"city": "Par')
  const schema = z.object({ city: z.string() })
  assert.instance(
    thrown(() => parseToolArguments(call('{"city": "Par'), schema)),
    ToolArgumentsError,
  )
})

// ---------------------------------------------------------------- zod

const weatherZod = z.object({ city: z.string(), days: z.number().int().positive() })

test('parseToolArguments with a zod schema returns the validated output, transforms applied', () => {
  const result = parseToolArguments(call('{"city":"Paris","days":3,"extra":true}'), weatherZod)
  assert.not.ok(isPromise(result), 'a synchronous schema gives the value')
  assert.equal(result, { city: 'Paris', days: 3 }, 'zod strips unknown keys')
  const trimmed = parseToolArguments(call('{"city":"  Paris "}'), z.object({ city: z.string().trim() }))
  assert.equal(trimmed, { city: 'Paris' })
})

test('parseToolArguments with a zod schema throws ToolArgumentsValidationError with the issues', () => {
  const error = thrown(() => parseToolArguments(call('{"city":7,"days":-1}'), weatherZod))
  assert.instance(error, ToolArgumentsValidationError)
  const { issues, toolCallId, toolName, code, message } = error as ToolArgumentsValidationError
  assert.is(code, 'SLUICE_TOOL_ARGUMENTS_VALIDATION')
  assert.is(toolCallId, 'call_1')
  assert.is(toolName, 'get_weather')
  assert.equal(paths(issues), [['city'], ['days']])
  assert.match(
    message,
    /^the arguments of tool call "call_1" \(get_weather\) do not match the schema: city: .+; days: .+/,
  )
})

test('parseToolArguments with an async zod refinement returns a promise of the output', async () => {
  const known = weatherZod.refine(async ({ city }) => city !== 'Atlantis', { message: 'unknown city', path: ['city'] })
  const result = parseToolArguments(call('{"city":"Paris","days":2}'), known)
  assert.ok(isPromise(result))
  assert.equal(await result, { city: 'Paris', days: 2 })
  const error = await rejection(Promise.resolve(parseToolArguments(call('{"city":"Atlantis","days":2}'), known)))
  assert.instance(error, ToolArgumentsValidationError)
  assert.equal(paths((error as ToolArgumentsValidationError).issues), [['city']])
  assert.match((error as Error).message, /city: unknown city$/)
})

// ---------------------------------------------------------------- valibot

const weatherValibot = v.object({ city: v.string(), days: v.pipe(v.number(), v.integer(), v.minValue(1)) })

test('parseToolArguments with a valibot schema throws ToolArgumentsValidationError with the issues', () => {
  const error = thrown(() => parseToolArguments(call('{"city":"Paris","days":0.5}'), weatherValibot))
  assert.instance(error, ToolArgumentsValidationError)
  // Not an integer, and below 1: valibot reports every failed check of the pipe.
  assert.equal(paths((error as ToolArgumentsValidationError).issues), [['days'], ['days']])
})

test('parseToolArguments with valibot pipeAsync returns a promise: resolved, or rejected with the issues', async () => {
  const known = v.pipeAsync(
    weatherValibot,
    v.checkAsync(async ({ city }) => city !== 'Atlantis', 'unknown city'),
  )
  const result = parseToolArguments(call('{"city":"Paris","days":1}'), known)
  assert.ok(isPromise(result))
  assert.equal(await result, { city: 'Paris', days: 1 })
  const error = await rejection(Promise.resolve(parseToolArguments(call('{"city":"Atlantis","days":1}'), known)))
  assert.instance(error, ToolArgumentsValidationError)
  assert.match((error as Error).message, /unknown city$/)
})

// ---------------------------------------------------------------- arktype

const weatherArk = type({ city: 'string', days: 'number.integer > 0' })

test('parseToolArguments with a valibot or an arktype schema returns the validated output, not a promise', () => {
  for (const schema of [weatherValibot, weatherArk]) {
    const result = parseToolArguments(call('{"city":"Paris","days":3}'), schema)
    assert.not.ok(isPromise(result), schema['~standard'].vendor)
    assert.equal(result, { city: 'Paris', days: 3 })
  }
})

test('parseToolArguments with an arktype schema throws ToolArgumentsValidationError with the issues', () => {
  const error = thrown(() => parseToolArguments(call('{"days":3}'), weatherArk))
  assert.instance(error, ToolArgumentsValidationError)
  assert.equal(paths((error as ToolArgumentsValidationError).issues), [['city']])
})

test('parseToolArguments is typed: unknown without a schema, the output or a promise of it with one', async () => {
  const plain = parseToolArguments(call('{"city":"Paris"}'))
  // @ts-expect-error unknown: to be narrowed or validated
  plain.city
  const typed = await parseToolArguments(call('{"city":"Paris","days":3}'), weatherZod)
  const city: string = typed.city
  const days: number = typed.days
  const fromValibot: { city: string; days: number } = await parseToolArguments(
    call('{"city":"a","days":1}'),
    weatherValibot,
  )
  const fromArk: { city: string; days: number } = await parseToolArguments(call('{"city":"a","days":1}'), weatherArk)
  // @ts-expect-error the value or a promise: await it
  parseToolArguments(call('{"city":"Paris","days":3}'), weatherZod).city
  assert.equal([city, days, fromValibot.days, fromArk.city], ['Paris', 3, 1, 'a'])
})

// ---------------------------------------------------------------- a schema of one's own

/** A Standard Schema written by hand: path segments as objects, and an answer sync or async. */
function handWritten(async: boolean): StandardSchemaV1<unknown, { city: string }> {
  return {
    '~standard': {
      version: 1,
      vendor: 'test',
      validate: (value) => {
        const city = (value as { city?: unknown }).city
        const result: StandardSchemaV1.Result<{ city: string }> =
          typeof city === 'string'
            ? { value: { city: city.toUpperCase() } }
            : {
                issues: [
                  { message: 'a city is required', path: [{ key: 'city' }] },
                  { message: 'first', path: [{ key: 'stops' }, 0, Symbol.for('why')] },
                  { message: 'second' },
                  { message: 'third' },
                ],
              }
        return async ? Promise.resolve(result) : result
      },
    },
  }
}

test('parseToolArguments with a hand-written schema: its output, and a message listing the first three issues', () => {
  assert.equal(parseToolArguments(call('{"city":"Paris"}'), handWritten(false)), { city: 'PARIS' })
  const error = thrown(() => parseToolArguments(call('{}', 'plan_trip'), handWritten(false)))
  assert.instance(error, ToolArgumentsValidationError)
  assert.is(
    (error as Error).message,
    'the arguments of tool call "call_1" (plan_trip) do not match the schema: city: a city is required; stops.0.Symbol(why): first; second; 1 more',
  )
  assert.is((error as ToolArgumentsValidationError).issues.length, 4)
})

test('parseToolArguments with a hand-written async schema returns a promise', async () => {
  const result = parseToolArguments(call('{"city":"Oslo"}'), handWritten(true))
  assert.ok(isPromise(result))
  assert.equal(await result, { city: 'OSLO' })
  assert.instance(
    await rejection(Promise.resolve(parseToolArguments(call('[]'), handWritten(true)))),
    ToolArgumentsValidationError,
  )
})

test.run()
