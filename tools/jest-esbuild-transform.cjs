// Jest transformer: TypeScript -> CommonJS with esbuild, one file at a time. Types are
// not checked here (`tsc --noEmit` does that in `npm test`). The inline source map
// carries the .ts path, so stack traces and failure frames point at the TypeScript.

const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const esbuild = require('esbuild');

// Cached transforms are keyed on this file and esbuild's version as well as the source.
const transformerHash = createHash('sha256')
  .update(readFileSync(__filename))
  .update(esbuild.version)
  .digest('hex');

module.exports = {
  process(sourceText, sourcePath) {
    const { code } = esbuild.transformSync(sourceText, {
      loader: 'ts',
      format: 'cjs',
      target: 'node20',
      sourcemap: 'inline',
      sourcefile: sourcePath,
    });
    return { code };
  },
  getCacheKey(sourceText, sourcePath) {
    return createHash('sha256')
      .update(transformerHash)
      .update('\0')
      .update(sourcePath)
      .update('\0')
      .update(sourceText)
      .digest('hex');
  },
};
