// NODE ONLY. One CLI subcommand: its name, a one-line summary, the --help text, its options
// (node:util parseArgs form, parsed strictly) and what it runs. The table of commands is
// commands.ts; main.ts dispatches on it.

import type { ParseArgsConfig } from 'node:util';

export type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface Command {
  name: string;
  summary: string;
  /** The usage lines and one line per option, printed by `cnn1d NAME --help`. */
  help: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(values: Values, positionals: string[]): Promise<void> | void;
  /** Commands with subcommands or positional arguments (data, inspect, convert) parse their own
   *  argv (what follows the command's name) and return the exit code; `run` is then not called. */
  runArgv?(argv: string[]): Promise<number> | number;
}
