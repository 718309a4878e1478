// `cnn1d --help` lists the commands of the table; `cnn1d COMMAND --help` and `cnn1d help COMMAND`
// print that command's options, exit 0, and never run it.
import { test, expect } from 'vitest';
import { runCli } from './helpers.ts';

test('--help lists every command, and each command has its own help', () => {
  const all = runCli('--help');
  expect(all.status).toBe(0);
  for (const name of ['train', 'evaluate', 'predict']) expect(all.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
  const train = runCli('train', '--help', '--data', 'builtin:cbf');
  expect(train.status).toBe(0);
  for (const option of ['--data', '--model', '--optimizer', '--lr-schedule', '--validation-split', '--class-weight', '--augment', '--callback', '--threads', '--config', '--out']) expect(train.stdout).toContain(option);
  expect(train.stdout).not.toMatch(/^data builtin/m);
  expect(runCli('help', 'evaluate').stdout).toMatch(/^usage: cnn1d evaluate --model-dir DIR/);
  expect(runCli('predict', '-h').stdout).toMatch(/--limit N/);
  const none = runCli();
  expect(none.status).toBe(1);
  expect(none.stderr).toMatch(/^cnn1d: no command given\nusage: cnn1d COMMAND/);
});
