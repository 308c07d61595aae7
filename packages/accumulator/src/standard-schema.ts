// The Standard Schema V1 interface, copied from its specification as the specification asks
// of the libraries that accept schemas, so that sluice depends on none of them:
// https://github.com/standard-schema/standard-schema (packages/spec/src/index.ts, MIT),
// also published as @standard-schema/spec. Zod (3.24+), Valibot (1.0+) and ArkType (2.0+)
// implement it. Only the formatting and the examples are ours.

/**
 * The Standard Schema interface: what `parseToolArguments` validates tool arguments with —
 * a schema of Zod, Valibot, ArkType or any other library that implements the specification.
 *
 * @see https://standardschema.dev
 * @example A schema of your own, without a library
 * ```ts
 * import type { StandardSchemaV1 } from '@sluice/accumulator'
 *
 * const city: StandardSchemaV1<unknown, { city: string }> = {
 *   '~standard': {
 *     version: 1,
 *     vendor: 'my-app',
 *     validate: (value) =>
 *       typeof value === 'object' && value !== null && typeof (value as { city?: unknown }).city === 'string'
 *         ? { value: value as { city: string } }
 *         : { issues: [{ message: 'a city is required', path: ['city'] }] },
 *   },
 * }
 * ```
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  /** The Standard Schema properties. */
  readonly '~standard': StandardSchemaV1.Props<Input, Output>
}

export declare namespace StandardSchemaV1 {
  /** The Standard Schema properties interface. */
  export interface Props<Input = unknown, Output = Input> {
    /** The version number of the standard. */
    readonly version: 1
    /** The vendor name of the schema library. */
    readonly vendor: string
    /** Validates unknown input values. */
    readonly validate: (value: unknown) => Result<Output> | Promise<Result<Output>>
    /** Inferred types associated with the schema. */
    readonly types?: Types<Input, Output> | undefined
  }

  /** The result interface of the validate function. */
  export type Result<Output> = SuccessResult<Output> | FailureResult

  /** The result interface if validation succeeds. */
  export interface SuccessResult<Output> {
    /** The typed output value. */
    readonly value: Output
    /** The non-existent issues. */
    readonly issues?: undefined
  }

  /** The result interface if validation fails. */
  export interface FailureResult {
    /** The issues of failed validation. */
    readonly issues: ReadonlyArray<Issue>
  }

  /** The issue interface of the failure output. */
  export interface Issue {
    /** The error message of the issue. */
    readonly message: string
    /** The path of the issue, if any. */
    readonly path?: ReadonlyArray<PropertyKey | PathSegment> | undefined
  }

  /** The path segment interface of the issue. */
  export interface PathSegment {
    /** The key representing a path segment. */
    readonly key: PropertyKey
  }

  /** The Standard Schema types interface. */
  export interface Types<Input = unknown, Output = Input> {
    /** The input type of the schema. */
    readonly input: Input
    /** The output type of the schema. */
    readonly output: Output
  }

  /** Infers the input type of a Standard Schema. */
  export type InferInput<Schema extends StandardSchemaV1> = NonNullable<Schema['~standard']['types']>['input']

  /** Infers the output type of a Standard Schema. */
  export type InferOutput<Schema extends StandardSchemaV1> = NonNullable<Schema['~standard']['types']>['output']
}
