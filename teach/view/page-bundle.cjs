// Bundles the page script of `rpmsg-sim view` (teach/view/page.ts, which imports the view's
// reducer) into one browser script with esbuild. Used by tools/build.mjs (the script goes
// into the CLI bundle as a string) and by build.ts beside it when running from the sources
// (tests): one set of options, so both give the same bytes. Minified, which also drops the
// comments naming source paths.

const esbuild = require('esbuild');

/** The page script as text; `root` is the repository's directory. */
function buildPageScript(root) {
  const result = esbuild.buildSync({
    absWorkingDir: root,
    entryPoints: ['teach/view/page.ts'],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    write: false,
    logLevel: 'warning',
  });
  return result.outputFiles[0].text;
}

module.exports = { buildPageScript };
