export { pipelineStage } from './pipeline-stage.ts'
