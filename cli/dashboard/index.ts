// The dashboard's public surface for other commands (run --live).
export { startRunDashboard, type RunDashboard, type RunDashboardExit, type RunDashboardOptions, type TickEmitter } from './run-dashboard.js';
export { runLabDashboard, type LabDashboardOptions } from './lab-dashboard.js';
export type { RunProgress, RunSummary, ThresholdOutcome, DashboardState } from './dashboard-state.js';
export { isInteractive } from './interactive.js';
