import { describe, expect, it } from 'vitest';
import { formatTable } from '../../../cli/report/text-table.js';

describe('formatTable', () => {
  it('pads columns and right-aligns numeric ones', () => {
    expect(
      formatTable(
        ['SERVER', 'HEALTH', 'REQUESTS'],
        [
          ['server1', 'up', 1200],
          ['server10', 'down', 3],
        ],
      ),
    ).toBe(['SERVER    HEALTH  REQUESTS', 'server1   up         1,200', 'server10  down           3'].join('\n'));
  });
});
