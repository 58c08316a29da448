/** Receives one complete log line, without the trailing newline. */
export type LogSink = (line: string) => void;

/** `2025-01-01T00:00:00.000Z server1 fault cleared` */
export function formatLogLine(atMs: number, server: string, message: string): string {
  return `${new Date(atMs).toISOString()} ${server} ${message}`;
}

export const stdoutSink: LogSink = (line) => {
  process.stdout.write(`${line}\n`);
};
