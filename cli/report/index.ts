export { buildSummary, type BuildSummaryInput } from './summary.js';
export type { RunSummary, RunLab, RunAction, RunHealthChange, RunThreshold, RunServerSummary, RunSeriesPoint } from './run-summary.js';
export { writeResults, type WriteResultsExtra, type WriteResultsResult } from './write-results.js';
export { formatSummaryTable } from './summary-table.js';
export { buildReportMarkdown } from './report-markdown.js';
export { renderDistributionChart } from './charts/distribution-chart.js';
export { renderTimelineChart } from './charts/timeline-chart.js';
export { renderLatencyChart } from './charts/latency-chart.js';
export { renderAlgorithmsChart } from './charts/algorithms-chart.js';
