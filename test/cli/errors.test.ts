// User-caused failures of the CLI end in one `cnn1d: ...` line and exit code 1 (a batch too large
// for memory included), and a train interrupted by Ctrl-C or SIGTERM leaves no --out folder
// behind; the CLI runs as a child process, as a user starts it.
import { test, expect } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startCli } from './helpers.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'cnn1d-cli-errors-'));

/** Exit code 1 and exactly one stderr line `cnn1d: ...` matching `pattern` (no stack trace). */
function oneLine(r: { status: number | null; stderr: string }, pattern: RegExp) {
  expect(r.status, r.stderr).toBe(1);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^cnn1d: /);
  expect(lines[0]).toMatch(pattern);
}

test('a batch too large for memory (OutOfMemoryError) is one line, exit 1, and the new --out is removed', () => {
  const dir = tmp();
  const r = runCli('train', '--data', 'builtin:sines', '--n', '40', '--length', '128', '--model', 'fcn:{"filters":[200000,8,8]}', '--epochs', '1', '--out', join(dir, 'new', 'model'));
  oneLine(r, /cannot plan working memory for a batch of 32 samples \(\d+ bytes .*\)\..*use a smaller batchSize/);
  expect(r.stderr).not.toMatch(/internal error|    at /);
  expect(readdirSync(dir)).toEqual([]);
  rmSync(dir, { recursive: true });
});

test('bad factory arguments are the library\'s errors, one line, before any data is read', () => {
  const cases: [string[], RegExp][] = [
    [['--augment', 'timeShift:{"maxShif":3}'], /augment\.timeShift: unknown option "maxShif" \(did you mean "maxShift"\?\)/],
    [['--augment', 'jiter'], /--augment: unknown name "jiter" \(did you mean "jitter"\?\); known: jitter, scaling/],
    [['--callback', 'earlyStopping:{patience: 3}'], /--callback earlyStopping arguments must be a JSON object such as \{"patience": 5\}/],
    [['--callback', 'exponentialDecay'], /callbacks\.exponentialDecay: decayRate is required/],
    [['--optimizer', 'adam:{"learningRate":-1}'], /learningRate/],
    [['--lr-schedule', 'cosineDecay:{"initialLearningRate":0.1,"decaySteps":10}', '--lr', '0.1'], /--lr-schedule cosineDecay.* sets the learning rate, and so does the optimizer's learningRate 0\.1 \(--lr\); give one of them/],
    [['--validation-split', '1'], /--validation-split must be a fraction in \(0, 1\) such as 0\.1, got "1"/],
    [['--class-weight', '{"slow":-2}'], /--class-weight "slow" must be a finite number >= 0, got -2/],
    [['--model', 'resnet:{"seed":4}'], /--model resnet: seed comes from --seed; leave it out of the model's arguments/],
    [['--model', './no/such/model'], /--model: no model file or folder at \.\/no\/such\/model/],
    [['--config', '/nonexistent/run.json'], /--config \/nonexistent\/run\.json: no such file/],
  ];
  for (const [args, pattern] of cases) {
    const r = runCli('train', '--data', 'builtin:sines', '--n', '20', '--length', '16', '--epochs', '1', ...args);
    oneLine(r, pattern);
    if (!args.includes('resnet:{"seed":4}')) expect(r.stdout, args.join(' ')).toBe('');
  }
  const dir = tmp();
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ data: 'builtin:sines', epoch: 3 }));
  oneLine(runCli('train', '--config', join(dir, 'run.json')), /run\.json: unknown field "epoch" \(did you mean "epochs"\?\); the fields are data, n, length/);
  rmSync(dir, { recursive: true });
});

for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  test(`${signal} during train leaves no new --out folder behind`, async () => {
    const dir = tmp();
    const out = join(dir, 'new', 'model');
    const child = startCli('train', '--data', 'builtin:cbf', '--n', '3000', '--length', '256', '--model', 'fcn', '--epochs', '100', '--verbose', '2', '--out', out);
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    await new Promise<void>((resolve) => child.stdout.on('data', (d) => ((stdout += d), /^model fcn/m.test(stdout) && resolve())));
    expect(existsSync(out), 'the run made --out before training').toBe(true);
    await new Promise((r) => setTimeout(r, 300)); // inside fit
    child.kill(signal);
    expect(await exited).toBe(code);
    expect(stderr.trimEnd().split('\n')).toEqual([`cnn1d: interrupted by ${signal}; removed ${out}`]);
    expect(readdirSync(dir), 'nothing of --out is left').toEqual([]);
    rmSync(dir, { recursive: true });
  }, 120_000);
}

test('an interrupted run into an existing empty folder leaves the folder as it was', async () => {
  const dir = tmp();
  const child = startCli('train', '--data', 'builtin:cbf', '--n', '3000', '--length', '256', '--model', 'fcn', '--epochs', '100', '--out', dir);
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  await new Promise<void>((resolve) => child.stdout.on('data', (d) => ((stdout += d), /^model fcn/m.test(stdout) && resolve())));
  child.kill('SIGINT');
  expect(await exited).toBe(130);
  expect(stderr.trim()).toBe('cnn1d: interrupted by SIGINT');
  expect(readdirSync(dir)).toEqual([]);
  rmSync(dir, { recursive: true });
}, 120_000);
