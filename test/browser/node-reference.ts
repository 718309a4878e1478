// globalSetup of the chromium project: runs the scenario in Node first and hands its result to the
// browser test (vitest's provide/inject), so the page can compare itself with Node bit for bit.
import { setFlagsFromString } from 'node:v8';
import type { TestProject } from 'vitest/node';
import { scenario, type ScenarioResult } from './scenario.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    nodeScenario: ScenarioResult;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  // Chromium validates relaxed SIMD, so the page runs the relaxed-SIMD build; Node 20 runs the
  // same build only with this flag, set before cnn1d chooses its build.
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  const lib = await import('cnn1d');
  project.provide('nodeScenario', await scenario(lib));
}
