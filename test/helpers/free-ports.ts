export { findFreePortPair as freePortPair, isPortFree } from '../../cli/net/ports.js';
