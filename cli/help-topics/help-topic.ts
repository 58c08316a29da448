/** A page of `lblab help <topic>`: plain text, at most ~40 lines of 80 columns. */
export interface HelpTopic {
  readonly name: string;
  /** One line for the topic list. */
  readonly summary: string;
  readonly text: string;
}
