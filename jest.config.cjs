// Jest runs the TypeScript tests through our own esbuild transformer (ts-jest needs the
// TypeScript compiler API, which the native TypeScript 7 compiler does not offer).

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  moduleFileExtensions: ['ts', 'js', 'cjs', 'mjs', 'json'],
  // The package's own entries (package.json "exports"), as a firmware module or an example
  // imports them, resolve to their sources.
  moduleNameMapper: {
    '^rpmsg-sim/firmware$': '<rootDir>/firmware/index.ts',
    '^rpmsg-sim$': '<rootDir>/scenario-engine/api.ts',
  },
  transform: { '\\.ts$': '<rootDir>/tools/jest-esbuild-transform.cjs' },
};
