import { algorithmsTopic } from './algorithms-topic.js';
import { faultsTopic } from './faults-topic.js';
import type { HelpTopic } from './help-topic.js';
import { resultsTopic } from './results-topic.js';
import { runtimesTopic } from './runtimes-topic.js';
import { scenariosTopic } from './scenarios-topic.js';

export type { HelpTopic } from './help-topic.js';

/** The pages of `lblab help <topic>`, in the order listed; a new topic is one file and one entry here. */
export const HELP_TOPICS: readonly HelpTopic[] = [scenariosTopic, algorithmsTopic, resultsTopic, runtimesTopic, faultsTopic];
