// Every ```ts block of README.md and of docs/guides/*.md (any guide added later included), run as
// written against the built package: each block is a module in a fresh folder inside the package
// (so 'cnn1d' resolves by self-reference to dist/, and `runs/...` paths land in that folder), run
// by node with tsx. A block fails on a non-zero exit or anything written to stderr. Blocks marked
// ```ts no-run (browser-only code) are listed and counted, not run. A few blocks also have their
// printed figures checked (CHECKS).
import { test, expect } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const guides = join(root, 'docs', 'guides');

interface Block {
  file: string;
  /** 1-based among the file's ```ts blocks. */
  index: number;
  line: number;
  info: string;
  code: string;
}

/** The ```ts blocks of a markdown file with their info strings ("ts", "ts no-run"). */
function tsBlocks(file: string, text: string): Block[] {
  const blocks: Block[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)(.*)$/.exec(lines[i]);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && l.startsWith('```'));
    if (end < 0) throw new Error(`${file}:${i + 1}: unclosed code block`);
    const lang = open[1];
    if (lang === 'ts' || lang === 'typescript' || lang === 'js' || lang === 'javascript') {
      blocks.push({ file, index: blocks.length + 1, line: i + 1, info: (lang + open[2]).trim(), code: lines.slice(i + 1, end).join('\n') });
    }
    i = end;
  }
  return blocks;
}

const files = ['README.md', ...readdirSync(guides).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/guides/${f}`)];
const all = files.flatMap((f) => tsBlocks(f, readFileSync(join(root, f), 'utf8')));
const runnable = all.filter((b) => !/\bno-run\b/.test(b.info));
const skipped = all.filter((b) => /\bno-run\b/.test(b.info));

const number = (out: string, re: RegExp) => Number(re.exec(out)?.[1]);

/** Figures a block prints that must hold, keyed "file#index". */
const CHECKS: Record<string, (out: string) => void> = {
  'README.md#1': (out) => {
    expect(number(out, /accuracy: ([\d.]+)/), out).toBeGreaterThanOrEqual(0.9);
    expect(out).toMatch(/\[\s*\[\s*[\d.e-]+,\s*[\d.e-]+,\s*[\d.e-]+\s*\]/);
  },
  'docs/guides/layers-and-training.md#1': (out) => {
    expect(out).toMatch(/Total params: \d+/);
    expect(number(out, /accuracy: ([\d.]+)/), out).toBeGreaterThanOrEqual(0.9);
  },
  'docs/guides/functional-models.md#1': (out) => {
    expect(out).toMatch(/multiply \(Multiply\)/);
    expect(number(out.trim().split('\n').pop() ?? '', /accuracy: ([\d.]+)/), out).toBeGreaterThanOrEqual(0.9);
  },
  'docs/guides/data-and-augmentation.md#1': (out) => expect(out).toBe('[ 2, 4, 1 ] [ 0, 1 ] [ 1, 2 ]\n[ 21, 16, 1 ] [ 21, 2 ]\n'),
  'docs/guides/model-formats.md#1': (out) => expect(out.trim()).toBe('true'),
  'docs/guides/streaming.md#1': (out) => {
    const [n, diff] = out.trim().split(/\s+/).map(Number);
    expect(n).toBe(200);
    expect(diff).toBeLessThan(1e-5);
  },
};

test('the docs have runnable code blocks and few no-run ones', () => {
  console.log(`docs: ${all.length} ts blocks in ${files.length} files, ${runnable.length} run, ${skipped.length} marked no-run: ${skipped.map((b) => `${b.file}:${b.line}`).join(', ')}`);
  expect(runnable.length).toBeGreaterThanOrEqual(5);
  expect(skipped.length).toBeLessThanOrEqual(Math.max(3, Math.floor(all.length / 4)));
  for (const key of Object.keys(CHECKS)) expect(all.some((b) => `${b.file}#${b.index}` === key), `${key} exists`).toBe(true);
});

test.each(runnable.map((b) => [`${b.file}:${b.line}`, b] as const))('%s runs as written', (_, block) => {
  const dir = mkdtempSync(join(root, 'runs-docs-'));
  try {
    const file = join(dir, 'block.mts');
    writeFileSync(file, block.code);
    const r = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: dir, encoding: 'utf8', timeout: 240_000 });
    expect(r.status, `${block.file}:${block.line} exited ${r.status} (${r.signal ?? ''})\n${r.stderr}\n${r.stdout.slice(-2000)}`).toBe(0);
    expect(r.stderr, `${block.file}:${block.line} wrote to stderr`).toBe('');
    CHECKS[`${block.file}#${block.index}`]?.(r.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 300_000);

test('every relative link of the docs points at a file of the repository', () => {
  const broken: string[] = [];
  for (const f of files) {
    const text = readFileSync(join(root, f), 'utf8').replace(/```[\s\S]*?```/g, '');
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1].split('#')[0];
      if (target === '' || /^[a-z]+:/.test(target)) continue;
      if (!existsSync(join(root, dirname(f), target))) broken.push(`${f}: ${m[1]}`);
    }
  }
  expect(broken).toEqual([]);
});
