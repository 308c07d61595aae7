// The `sluice` executable: runs the command line and exits with its status.
import { main } from './main.ts'
import { processOutput } from './output.ts'

process.exitCode = await main(process.argv.slice(2), processOutput(process.env), process.env)
