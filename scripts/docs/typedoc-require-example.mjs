// A typedoc plugin: every exported declaration (class, interface, type alias, function,
// variable, enum) must have a doc comment with an `@example` block, as denoland/std does.
// A missing one is a warning, so `typedoc --treatWarningsAsErrors` (the `pnpm test`
// check) fails on it. typedoc's own `validation.notDocumented` checks that a comment
// exists; it has no rule for tags.
//
// Loaded from typedoc.json (`"plugin": ["./scripts/docs/typedoc-require-example.mjs"]`).
// Members (properties, methods) are not required to have an example.
import { Application, ReflectionKind } from 'typedoc'

const REQUIRED =
  ReflectionKind.Class |
  ReflectionKind.Interface |
  ReflectionKind.TypeAlias |
  ReflectionKind.Function |
  ReflectionKind.Variable |
  ReflectionKind.Enum

/** @param {import('typedoc').Application} app */
export function load(app) {
  // With entryPointStrategy "packages" this runs once per package and once more on the
  // merged project: report each declaration once.
  const reported = new Set()
  app.on(Application.EVENT_VALIDATE_PROJECT, (project) => {
    for (const reflection of project.getReflectionsByKind(REQUIRED)) {
      if (!reflection.isDeclaration() || !reflection.parent?.kindOf(ReflectionKind.Module | ReflectionKind.Project))
        continue
      // A function's comment sits on its signatures (one per overload); any of them may carry the example.
      const comments = [reflection.comment, ...(reflection.signatures ?? []).map((signature) => signature.comment)]
      if (comments.some((comment) => comment?.getTag('@example'))) continue
      const name = `${reflection.parent.name}.${reflection.name}`
      if (reported.has(name)) continue
      reported.add(name)
      app.logger.warn(`${name} (${ReflectionKind.singularString(reflection.kind)}) has no @example in its doc comment`)
    }
  })
}
