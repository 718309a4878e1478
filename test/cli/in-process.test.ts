// The CLI's commands called in this process (the spawned tests beside this file check the same
// paths end to end; this one lets coverage see src/cli): a train run with options from a config
// file and flags, its saved folder evaluated and predicted, and the run-config checks.
import { test, expect, afterAll, vi } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainCommand } from '../../src/cli/train-command.ts';
import { evaluateCommand } from '../../src/cli/evaluate-command.ts';
import { predictCommand } from '../../src/cli/predict-command.ts';
import { COMMANDS } from '../../src/cli/commands.ts';
import { configJson, runConfig } from '../../src/cli/run-config.ts';
import { UsageError } from '../../src/cli/datasets.ts';

const dir = mkdtempSync(join(tmpdir(), 'cnn1d-cli-inproc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a command, returning what it printed. */
async function captured(run: () => unknown): Promise<string> {
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  try {
    await run();
  } finally {
    spy.mockRestore();
  }
  return lines.join('\n');
}

test('the command table has train, evaluate, predict, data, inspect and convert, each with help', () => {
  expect(COMMANDS.map((c) => c.name)).toEqual(['train', 'evaluate', 'predict', 'data', 'inspect', 'convert']);
  for (const c of COMMANDS) expect(c.help).toMatch(new RegExp(`^usage: cnn1d ${c.name}`));
});

test('train from a config file plus flags, then evaluate and predict its folder', async () => {
  const ucr = (path: string, n: number, phase: number) =>
    writeFileSync(path, Array.from({ length: n }, (_, i) => [1 + (i % 2), ...Array.from({ length: 32 }, (_, t) => Math.sin(((1 + 3 * (i % 2)) * 2 * Math.PI * t) / 32 + i * phase).toFixed(4))].join('\t')).join('\n') + '\n');
  ucr(join(dir, 'W_TRAIN.tsv'), 40, 0.3);
  ucr(join(dir, 'W_TEST.tsv'), 20, 0.7);
  const config = join(dir, 'run.json');
  writeFileSync(config, JSON.stringify({ data: join(dir, 'W_TRAIN.tsv'), model: 'kerasSeed', epochs: 2, batchSize: 8, augment: ['jitter:{"sigma":0.01}'], callbacks: [{ name: 'earlyStopping', args: { monitor: 'loss', patience: 3 } }], classWeight: 'balanced', threads: 1, verbose: 0, validationSplit: null }));
  const out = join(dir, 'm');
  const printed = await captured(() => trainCommand.run({ config, out, 'class-weight': '{"2":1.5}', optimizer: 'adamax', 'lr-schedule': 'exponentialDecay:{"initialLearningRate":0.01,"decaySteps":5,"decayRate":0.9}' }, []));
  expect(printed).toMatch(/40 training and 20 test series of length 32, 2 classes \(1, 2\)/);
  expect(printed).toMatch(/test accuracy [\d.]+/);
  const saved = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  expect(saved).toMatchObject({ model: { name: 'kerasSeed' }, optimizer: { name: 'adamax' }, classWeight: { 2: 1.5 }, learningRateSchedule: { name: 'exponentialDecay' }, epochs: 2, out });
  expect(configJson(runConfig({ config: join(out, 'run.json') }))).toBe(readFileSync(join(out, 'run.json'), 'utf8'));

  const evaluated = await captured(() => evaluateCommand.run({ 'model-dir': out, data: join(dir, 'W_TEST.tsv') }, []));
  expect(evaluated).toMatch(/^loss [\d.]+, accuracy [\d.]+ on 20 series$/);
  const predicted = await captured(() => predictCommand.run({ 'model-dir': out, data: join(dir, 'W_TEST.tsv'), limit: '2' }, []));
  expect(predicted.split('\n')).toHaveLength(3);
  expect(predicted).toMatch(/^20 predictions, \d+ match the file's labels$/m);

  // a failing run removes the folder it made
  const failed = join(dir, 'new', 'f');
  await expect(trainCommand.run({ data: join(dir, 'W_TRAIN.tsv'), model: 'kerasSeed', epochs: '1', verbose: '0', 'class-weight': '{"7":2}', out: failed }, [])).rejects.toThrow(/--class-weight: no class "7" in the data \(classes: 1, 2\)/);
  expect(existsSync(join(dir, 'new'))).toBe(false);
  // a saved model whose shape does not fit the data
  await expect(trainCommand.run({ data: 'builtin:cbf', n: '10', length: '16', model: out, epochs: '1', verbose: '0' }, [])).rejects.toThrow(/takes inputs \[32,1\] and gives \[2\]; the data needs inputs \[16, 1\] \(or \[null, 1\]\) and 3 class outputs/);
});

test('run-config refuses what it cannot use, naming the field', () => {
  const bad: [Record<string, unknown>, RegExp][] = [
    [{}, /train needs --data/],
    [{ data: 'x', model: 'tutorial18:{"a":1}' }, /.*/], // accepted here, refused when built
    [{ data: 'x', model: 'sampleCnn:[1]' }, /--model sampleCnn arguments must be a JSON object/],
    [{ data: 'x', model: '%%' }, /--model: unknown model ""/],
    [{ data: 'x', optimizer: 'adamm' }, /--optimizer: unknown name "adamm" \(did you mean "adam"\?\)/],
    [{ data: 'x', augment: ['a b'] }, /--augment must be NAME or NAME:\{JSON arguments\}/],
    [{ data: 'x', 'class-weight': '[1]' }, /--class-weight must be a JSON object/],
    [{ data: 'x', threads: '0' }, /--threads must be an integer from 1 to 1024, got "0"/],
  ];
  for (const [values, pattern] of bad) {
    if (pattern.source === '.*') {
      expect(() => runConfig(values as never)).not.toThrow();
      continue;
    }
    expect(() => runConfig(values as never), JSON.stringify(values)).toThrow(UsageError);
    expect(() => runConfig(values as never)).toThrow(pattern);
  }
  const file = join(dir, 'bad.json');
  for (const [text, pattern] of [['[1]', /must hold a JSON object of run fields/], ['{', /is not valid JSON/], ['{"data": "x", "augment": [{"name": "jitter", "arg": {}}]}', /augment must be "NAME", "NAME:\{JSON arguments\}" or \{"name": NAME, "args": \{\.\.\.\}\}/], ['{"data": "x", "model": {"path": 3}}', /model\.path must be a path to a saved model/]] as const) {
    writeFileSync(file, text);
    expect(() => runConfig({ config: file })).toThrow(pattern);
  }
  expect(() => runConfig({ config: dir })).toThrow(/not a regular file/);
});
