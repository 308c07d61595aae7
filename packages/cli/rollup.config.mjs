import { packageConfig } from '../../scripts/rollup-package.mjs'

// The library (`lintStream`, `main`), and the `sluice` executable: ES module only, with a shebang.
const [executable] = packageConfig({ entries: { cli: 'src/cli.ts' }, banner: '#!/usr/bin/env node' })
export default [...packageConfig(), { ...executable, output: executable.output.filter((output) => output.format === 'es') }]
