import { readdirSync } from 'node:fs';

/** How many files lie anywhere under `dir` (0 when it does not exist yet): what uploads left on local storage. */
export function filesUnder(dir: string): number {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).length;
  } catch {
    return 0;
  }
}
