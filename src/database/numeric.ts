import type { ValueTransformer } from 'typeorm';

/** PostgreSQL `numeric` arrives as a string; hours and credits are small decimals, safe as numbers. */
export const numeric: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null || value === undefined ? value : Number(value)),
};
