import { Box, Text } from 'ink';
import type { EventLine } from './dashboard-state.js';
import { dedupeEvents } from './dedupe-events.js';
import { formatClockMs, truncate } from './format.js';
import { TONE_COLOR } from './theme.js';

export interface EventLogProps {
  /** Oldest first; the newest `maxLines` are shown, newest last. */
  readonly events: readonly EventLine[];
  readonly width: number;
  readonly maxLines: number;
}

/** `12:03:04.512 server2 up -> down  2 failed checks: ECONNREFUSED`; each event once (see dedupeEvents). */
export function EventLog({ events, width, maxLines }: EventLogProps) {
  const shown = maxLines > 0 ? dedupeEvents(events).slice(-maxLines) : [];
  const rule = `─ events ${'─'.repeat(Math.max(0, width - 9))}`;
  return (
    <Box flexDirection="column" width={width}>
      <Text dimColor>{truncate(rule, width)}</Text>
      {shown.length === 0 ? <Text dimColor>(no events yet)</Text> : null}
      {shown.map((event, i) => {
        const time = formatClockMs(event.atMs);
        const room = width - time.length - 1;
        const text = truncate(event.text, room);
        const detail = event.detail === undefined ? '' : truncate(`  ${event.detail}`, room - text.length);
        return (
          <Text key={`${event.atMs}-${i}`} wrap="truncate-end">
            <Text dimColor>{time} </Text>
            <Text color={TONE_COLOR[event.tone]}>{text}</Text>
            <Text dimColor>{detail}</Text>
          </Text>
        );
      })}
    </Box>
  );
}
