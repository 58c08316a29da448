import { Text } from 'ink';
import { truncate } from './format.js';

export interface KeyHelpProps {
  readonly width: number;
  /** Whether k, r and a do anything (a lab is attached). */
  readonly actions: boolean;
}

export function KeyHelp({ width, actions }: KeyHelpProps) {
  const keys = actions ? 'q quit  ↑/↓ select  k kill  r revive  a next algorithm' : 'q quit';
  return <Text dimColor>{truncate(keys, width)}</Text>;
}
