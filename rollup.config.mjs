// dist/index.js: the library as ESM (wasm embedded as base64, no Node built-ins, so Node and browser
// bundlers take it as is), dist/index.cjs: the same library as CommonJS for `require('cnn1d')`,
// with dist/index.d.ts and dist/index.d.cts (the same declarations; TypeScript reads a .d.ts in a
// "type": "module" package as ESM, so the require condition needs its own .d.cts);
// dist/cli.js: the Node command line, which imports the library from ./index.js.
import typescript from '@rollup/plugin-typescript';
import { dts } from 'rollup-plugin-dts';
import { resolve } from 'node:path';

const ts = () => typescript({ tsconfig: './tsconfig.build.json', declaration: false, declarationDir: undefined, outDir: 'dist' });
const libraryEntry = resolve('src/index.ts');

export default [
  {
    input: 'src/index.ts',
    preserveEntrySignatures: 'allow-extension',
    // the ONNX reader/writer (src/io/onnx, loaded by await import()) is a chunk of its own in the
    // ESM build, so `import 'cnn1d'` does not load it; the CommonJS build inlines it
    output: [
      { dir: 'dist', entryFileNames: 'index.js', chunkFileNames: 'chunks/[name]-[hash].js', format: 'es', sourcemap: true },
      { file: 'dist/index.cjs', format: 'cjs', exports: 'named', sourcemap: true, inlineDynamicImports: true },
    ],
    plugins: [ts()],
  },
  {
    input: 'src/cli/main.ts',
    external: (id, importer) => id.startsWith('node:') || (importer !== undefined && resolve(importer, '..', id) === libraryEntry),
    output: { file: 'dist/cli.js', format: 'es', banner: '#!/usr/bin/env node', paths: (id) => (id.startsWith('node:') ? id : './index.js') },
    plugins: [ts()],
  },
  {
    input: 'src/index.ts',
    output: [
      { file: 'dist/index.d.ts', format: 'es' },
      { file: 'dist/index.d.cts', format: 'es' },
    ],
    plugins: [dts({ tsconfig: './tsconfig.build.json' })],
  },
];
