// NODE ONLY. The cnn1d command line: `cnn1d COMMAND [options]`, the commands in the table of
// commands.ts (each in its own file), `cnn1d --help` and `cnn1d COMMAND --help`.
//
// Every error the user can act on (a bad option, file, dataset, model, a batch too large for
// memory) is one line on stderr and exit code 1; anything else is a bug: "internal error", the
// stack, exit code 2. Ctrl-C and SIGTERM: interrupt.ts.

import { parseArgs } from 'node:util';
import { suggest } from '../layers/args.ts';
import { COMMANDS } from './commands.ts';
import { UsageError } from './datasets.ts';

const USAGE = `usage: cnn1d COMMAND [options]       (cnn1d COMMAND --help for its options)

${COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}

  cnn1d train --data builtin:cbf --model kerasSeed --epochs 20 --out runs/cbf`;

const names = COMMANDS.map((c) => c.name);

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (name === undefined) throw new UsageError('no command given', true);
  if (name === '--help' || name === '-h' || (name === 'help' && rest.length === 0)) return void console.log(USAGE);
  const helpOf = name === 'help' ? rest[0] : undefined;
  const command = COMMANDS.find((c) => c.name === (helpOf ?? name));
  if (!command) throw new UsageError(`unknown command "${helpOf ?? name}"${suggest(helpOf ?? name, names)}; the commands are ${names.join(', ')}`, true);
  if (helpOf || rest.includes('--help') || rest.includes('-h')) return void console.log(command.help);
  if (command.runArgv) {
    const code = await command.runArgv(rest);
    if (code !== 0) process.exit(code);
    return;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, strict: true, allowPositionals: false, options: command.options });
  } catch (e) {
    const option = /^Unknown option '--?([^'=]+)/.exec((e as Error).message)?.[1];
    const takes = Object.keys(command.options);
    if (option !== undefined) throw new UsageError(`${command.name} does not take --${option}${suggest(option, takes).replace(/"(.*)"/, '--$1')} (it takes ${takes.map((k) => `--${k}`).join(', ')})`, command);
    throw new UsageError(`${command.name}: ${(e as Error).message}`, command);
  }
  await command.run(parsed.values, parsed.positionals);
}

/** Errors the user can act on: one line, exit code 1. */
const USER_ERRORS = ['UsageError', 'ConfigError', 'ModelFormatError', 'DataError', 'TrainingError', 'OutOfMemoryError', 'ModelStateError'];

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (e: Error & { syscall?: string }) => {
    const system = typeof e.syscall === 'string'; // EACCES, ENOSPC, EMFILE ... from the file system
    if (USER_ERRORS.includes(e.name) || system) {
      console.error(`cnn1d: ${e.message.replace(/\s*\n\s*/g, ' ')}`);
      if (e instanceof UsageError && e.showUsage) console.error(typeof e.showUsage === 'object' ? e.showUsage.help : USAGE);
      process.exit(1);
    }
    console.error(`cnn1d: internal error: ${e.stack ?? e.message}`);
    process.exit(2);
  },
);
