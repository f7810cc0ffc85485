// `node --import ./test/support/swc-register.mjs src/worker.ts`: runs the TypeScript sources without a build.
import { register } from 'node:module';

register('./swc-hooks.mjs', import.meta.url);
