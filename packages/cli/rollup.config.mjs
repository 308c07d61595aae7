import { packageConfig } from '../../scripts/rollup-package.mjs'

// The library (`lintStream`, `main`), and the `sluice` executable: ES module only, with a shebang.
const [executable] = packageConfig({ entries: { cli: 'src/cli.ts' }, banner: '#!/usr/bin/env node' })
// (the first configuration packageConfig returns is the ES module one)
export default [...packageConfig(), executable]
