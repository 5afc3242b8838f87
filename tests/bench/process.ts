/** The benchmark runs its tools with the same runner as the end-to-end tests. */
export { ok, run, type CommandResult } from '../support/run-command';
