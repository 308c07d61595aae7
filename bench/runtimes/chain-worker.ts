/**
 * The chain benchmark as a workerd Worker. Inside a request `performance.now()` and
 * `Date.now()` stand still (workerd's defence against timing attacks), so the worker times
 * nothing: it runs what it is asked, and the Node driver (workerd.ts) reads the workerd
 * process's CPU time before and after each request, and runs harness-core.ts's round-robin
 * over the cases with that clock. One request is one run of a case, or a batch of runs of
 * it (`times`): the driver's clock moves in 10 ms ticks.
 *
 * - `GET /describe`: the groups ({@link RemoteGroup}), without their inputs.
 * - `GET /set-up?group=I`: builds group I's input (tearing down the previous one).
 * - `GET /run?case=K&times=N`: runs case K of that group N times; every run must compute
 *   the same summary (harness-core.ts's `sameSummary`), which the response carries and the
 *   driver checks against the group's expected summary.
 * - `GET /tear-down`: drops the group's input.
 */
import { type BenchGroup, sameSummary } from '../harness-core.ts'
import { type ChainRunOptions, runtimeGroups } from './chain-bundle.ts'

/** A group as the driver sees it: everything but the inputs and the cases' code (for a group of bytes or of items alike). */
export type RemoteGroup = BenchGroup extends infer Group
  ? Group extends BenchGroup
    ? Omit<Group, 'cases' | 'setUp' | 'tearDown'> & { cases: { name: string; note?: string; expected?: unknown }[] }
    : never
  : never

/** The worker's module: `export default chainWorker({ size, stepItems })`. */
export function chainWorker(options: ChainRunOptions) {
  // Built at the first request, not at start-up: a Worker's global scope must start fast.
  let groups: BenchGroup[] | undefined
  let current: BenchGroup | undefined
  const handle = async (url: URL): Promise<unknown> => {
    groups ??= runtimeGroups(options)
    const number = (name: string) => Number(url.searchParams.get(name))
    switch (url.pathname) {
      case '/describe':
        return groups.map(describe)
      case '/set-up': {
        await current?.tearDown?.()
        current = groups[number('group')]
        if (current === undefined) throw new Error(`no group ${url.searchParams.get('group')}`)
        await current.setUp?.()
        return null
      }
      case '/tear-down':
        await current?.tearDown?.()
        current = undefined
        return null
      case '/run': {
        const benchCase = current?.cases[number('case')]
        if (benchCase === undefined) throw new Error(`no case ${url.searchParams.get('case')} set up`)
        const first = await benchCase.run()
        for (let i = 1; i < number('times'); i++) {
          const next = await benchCase.run()
          if (!sameSummary(next, first))
            throw new Error(`${benchCase.name}: run ${i + 1} of a batch computed another summary`)
        }
        return first
      }
    }
    throw new Error(`no route ${url.pathname}`)
  }
  return {
    async fetch(request: Request): Promise<Response> {
      try {
        return Response.json(await handle(new URL(request.url)))
      } catch (error) {
        return new Response(String((error as Error)?.stack ?? error), { status: 500 })
      }
    },
  }
}

function describe(group: BenchGroup): RemoteGroup {
  const { cases, setUp: _setUp, tearDown: _tearDown, ...rest } = group
  return {
    ...rest,
    cases: cases.map(({ name, note, ...benchCase }) => ({
      name,
      ...(note === undefined ? {} : { note }),
      ...('expected' in benchCase ? { expected: benchCase.expected } : {}),
    })),
  }
}
