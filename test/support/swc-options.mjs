// The SWC options that run the TypeScript sources: Jest's transform (jest.config.js) and the module hooks that let
// integration tests start real child processes from the sources (swc-hooks.mjs) compile them the same way.
export const SWC_OPTIONS = {
  sourceMaps: 'inline',
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    target: 'es2022',
    keepClassNames: true,
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
  },
  module: { type: 'es6' },
};
