// dist/index.js: the library as ESM (wasm embedded as base64, no Node built-ins, so Node and browser
// bundlers take it as is), dist/index.cjs: the same library as CommonJS for `require('cnn1d')`,
// with dist/index.d.ts and dist/index.d.cts (the same declarations; TypeScript reads a .d.ts in a
// "type": "module" package as ESM, so the require condition needs its own .d.cts);
// dist/lite.js (+ .cjs, .d.ts, .d.cts): `cnn1d/lite`, inference only (src/lite.ts);
// dist/cli.js: the Node command line, which imports the library from ./index.js.
// The library files are minified by esbuild (names kept: error and class names are part of the
// messages), with source maps through to src/.
import typescript from '@rollup/plugin-typescript';
import { dts } from 'rollup-plugin-dts';
import { transform } from 'esbuild';
import { resolve } from 'node:path';
import { rmSync } from 'node:fs';

// chunk names carry content hashes: remove the previous build's so dist holds only this one's
rmSync('dist/chunks', { recursive: true, force: true });

const ts = () => typescript({ tsconfig: './tsconfig.build.json', declaration: false, declarationDir: undefined, outDir: 'dist' });
const libraryEntry = resolve('src/index.ts');

/** esbuild's minifier on each output chunk; rollup chains its map onto the chunk's. */
const minify = () => ({
  name: 'esbuild-minify',
  async renderChunk(code, chunk, options) {
    const format = options.format === 'es' ? 'esm' : options.format;
    const out = await transform(code, { minify: true, keepNames: true, format, target: 'es2022', sourcemap: true, sourcefile: chunk.fileName, legalComments: 'none' });
    return { code: out.code, map: out.map };
  },
});

const library = (name) => [
  {
    input: `src/${name}.ts`,
    // the readers of .keras/.h5 files and of ONNX (src/io/onnx) (src/io/keras-read.ts) are chunks loaded on demand; their
    // libraries (fflate, jsfive) stay external dependencies, imported only by those chunks
    external: ['fflate', 'jsfive'],
    output: [
      { dir: 'dist', entryFileNames: `${name}.js`, chunkFileNames: `chunks/${name}-[name]-[hash].js`, format: 'es', sourcemap: true },
      { dir: 'dist', entryFileNames: `${name}.cjs`, chunkFileNames: `chunks/${name}-[name]-[hash].cjs`, format: 'cjs', exports: 'named', sourcemap: true },
    ],
    plugins: [ts(), minify()],
  },
  {
    input: `src/${name}.ts`,
    output: [
      { file: `dist/${name}.d.ts`, format: 'es' },
      { file: `dist/${name}.d.cts`, format: 'es' },
    ],
    plugins: [dts({ tsconfig: './tsconfig.build.json' })],
  },
];

export default [
  ...library('index'),
  ...library('lite'),
  {
    input: 'src/cli/main.ts',
    external: (id, importer) => id.startsWith('node:') || (importer !== undefined && resolve(importer, '..', id) === libraryEntry),
    output: { file: 'dist/cli.js', format: 'es', banner: '#!/usr/bin/env node', paths: (id) => (id.startsWith('node:') ? id : './index.js') },
    plugins: [ts()],
  },
];
