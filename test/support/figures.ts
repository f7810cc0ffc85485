import { appendFileSync } from 'node:fs';

/**
 * Records a measured figure (e.g. a recovery time) for the reliability report: appended as a JSON line
 * to the file named by TEST_FIGURES when set, ignored otherwise. Figures are reported, never asserted.
 */
export function recordFigure(name: string, value: number | string): void {
  const file = process.env.TEST_FIGURES;
  if (file) appendFileSync(file, `${JSON.stringify({ name, value, at: new Date().toISOString() })}\n`);
}
