import { applyMemberAction } from '../lab/member-actions.js';
import type { OpenLab } from '../lab/open-lab.js';
import type { DashboardActions } from './dashboard-actions.js';

/** The dashboard's keys acting on a real lab: kill and revive through applyMemberAction, algorithm through the admin API. */
export function labActions(lab: OpenLab): DashboardActions {
  return {
    async kill(server) {
      await applyMemberAction(lab, 'kill', server);
      return `killed ${server} (SIGKILL)`;
    },
    async revive(server) {
      const result = await applyMemberAction(lab, 'revive', server);
      return `revived ${server}${result.backUpAfterMs === undefined ? '' : `; up after ${result.backUpAfterMs} ms`}`;
    },
    async setAlgorithm(algorithm) {
      await lab.admin.setAlgorithm(algorithm);
    },
  };
}
