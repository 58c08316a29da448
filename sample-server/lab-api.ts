import { isSampleServerError } from './errors.js';
import { NO_FAULT, applyFaultPatch, faultToJson, parseFaultPatch, type FaultState } from './fault.js';
import { failureReply, jsonReply, parseJsonBody, type JsonReply } from './json.js';
import type { LabRouteKey } from './routes.js';
import type { SampleServerStats } from './stats.js';

export interface LabContext {
  readonly name: string;
  getFault(): FaultState;
  setFault(fault: FaultState): void;
  stats(): SampleServerStats;
}

function faultReply(context: LabContext): JsonReply {
  return jsonReply(200, { server: context.name, fault: faultToJson(context.getFault()) });
}

/** /_lab/fault and /_lab/stats. POST merges the given fields into the current fault; DELETE clears all. */
export function handleLabRoute(key: LabRouteKey, body: Buffer, context: LabContext): JsonReply {
  switch (key) {
    case 'GET /_lab/stats':
      return jsonReply(200, context.stats());
    case 'GET /_lab/fault':
      return faultReply(context);
    case 'DELETE /_lab/fault':
      context.setFault(NO_FAULT);
      return faultReply(context);
    case 'POST /_lab/fault': {
      const parsed = parseJsonBody(body);
      if (!parsed.ok) return failureReply(400, parsed.message, context.name);
      try {
        context.setFault(applyFaultPatch(context.getFault(), parseFaultPatch(parsed.value)));
      } catch (error) {
        if (isSampleServerError(error)) return failureReply(400, error.message, context.name);
        throw error;
      }
      return faultReply(context);
    }
  }
}
