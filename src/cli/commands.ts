// NODE ONLY. The table of cnn1d subcommands, in the order `cnn1d --help` lists them; each lives in
// its own file.

import type { Command } from './command.ts';
import { trainCommand } from './train-command.ts';
import { evaluateCommand } from './evaluate-command.ts';
import { predictCommand } from './predict-command.ts';

export const COMMANDS: readonly Command[] = [trainCommand, evaluateCommand, predictCommand];
