export { findFreePortPair as freePortPair, isPortFree } from '../../cli/runtime/ports.js';
