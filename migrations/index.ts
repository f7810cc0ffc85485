import { Foundation1763800000000 } from './1763800000000-foundation.js';

/** Every migration in order. Listed here so the built app and the tests load the same set. */
export const migrations = [Foundation1763800000000];
