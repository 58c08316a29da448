/** True when the dashboard may draw with Ink: stdout is a terminal and CI is not set. */
export function isInteractive(stdout: { readonly isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  return stdout.isTTY === true && (env.CI === undefined || env.CI === '');
}
