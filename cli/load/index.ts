export { runLoad, LoadRun, type LoadRunEvents, type LoadStartInfo, type LoadEndReason } from './run-load.js';
export type { LoadOptions, LoadModel, ClosedLoadModel, OpenLoadModel, KeySpreadOptions } from './load-options.js';
export { NO_SERVER_ID, NO_RESPONSE, type LoadResult, type ServerLoadResult, type LatencySummary } from './load-result.js';
export type { LoadTick } from './types.js';
export { aggregateLoad, aggregateTick, summarizeLatency } from './aggregate.js';
export { formatProgressLine } from './progress-line.js';
