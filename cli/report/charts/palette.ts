/** Colour-blind-friendly series colours (Okabe–Ito, then Tableau), one per server in name order. */
const SERIES_COLOURS = [
  '#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000',
  '#4E79A7', '#F28E2B', '#59A14F', '#B07AA1', '#76B7B2', '#EDC948', '#FF9DA7', '#9C755F',
];

/** Colour of the i-th series. */
export function seriesColour(index: number): string {
  return SERIES_COLOURS[index % SERIES_COLOURS.length] ?? '#000000';
}

/** Colour for buckets that are not servers: `(none)`, `(no response)`. */
export const PSEUDO_SERVER_COLOUR = '#9E9E9E';
/** Scenario actions (kill, revive, add...). */
export const ACTION_COLOUR = '#C62828';
/** Health changes the balancer reported. */
export const HEALTH_COLOUR = '#6A1B9A';

/** `(none)` and `(no response)` are buckets, not servers. */
export function isPseudoServer(name: string): boolean {
  return name.startsWith('(');
}

/** Colours for a list of servers: real servers in order, pseudo-servers grey. */
export function serverColours(names: readonly string[]): string[] {
  let next = 0;
  return names.map((name) => (isPseudoServer(name) ? PSEUDO_SERVER_COLOUR : seriesColour(next++)));
}
