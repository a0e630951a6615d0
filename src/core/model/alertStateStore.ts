/**
 * Where the alert monitor keeps its state (JSON text), and the lock under which one process at a time checks
 * the rules: a file beside the embedded database, a row of the team's PostgreSQL database.
 */
export interface AlertStateStore {
  /** Where the state is, in words for a message. */
  readonly place: string;
  load(): Promise<string | null>;
  save(json: string): Promise<void>;
  /** Keeps a state that could not be read out of the way (never deleted); says where it went. */
  setAside(): Promise<string>;
  /** Runs `work` while no other process checks these alerts; `wait` false: does not wait for one that does (ran false). */
  exclusive<T>(work: () => Promise<T>, wait: boolean): Promise<{ ran: true; value: T } | { ran: false }>;
}
