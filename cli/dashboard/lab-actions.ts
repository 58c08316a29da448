import { describeMemberAction } from '../lab/describe-member-action.js';
import { applyMemberAction } from '../lab/member-actions.js';
import type { OpenLab } from '../lab/open-lab.js';
import type { DashboardActions } from './dashboard-actions.js';

/** The dashboard's keys acting on a real lab: kill and revive through applyMemberAction, algorithm through the admin API. */
export function labActions(lab: OpenLab): DashboardActions {
  return {
    async kill(server) {
      return describeMemberAction(await applyMemberAction(lab, 'kill', server));
    },
    async revive(server) {
      return describeMemberAction(await applyMemberAction(lab, 'revive', server));
    },
    async setAlgorithm(algorithm) {
      await lab.admin.setAlgorithm(algorithm);
    },
  };
}
