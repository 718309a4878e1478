// globalSetup of the chromium project: runs the scenario in Node first and hands its result to the
// browser test (vitest's provide/inject), so the page can compare itself with Node bit for bit.
import type { TestProject } from 'vitest/node';
import { scenario, type ScenarioResult } from './scenario.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    nodeScenario: ScenarioResult;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const lib = await import('cnn1d');
  project.provide('nodeScenario', await scenario(lib));
}
