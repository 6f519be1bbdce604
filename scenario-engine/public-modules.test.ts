// A firmware module that imports the embedding API (`rpmsg-sim`) where the running simulator
// never loaded it (the CLI: it runs without api.ts) gets one clear build error. This file
// must not import api.ts, or the import would succeed (api.test.ts covers that case).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ModuleError, compileModules } from './files';
import { loadScenario } from './load';

test('a module importing rpmsg-sim where the embedding API is not loaded: a located error naming rpmsg-sim/firmware', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rpmsg-sim-public-modules-'));
  try {
    const module = join(dir, 'fw.ts');
    writeFileSync(module, "import { run } from 'rpmsg-sim';\nexport function* master() { yield* []; return run; }\nexport const remote = master;\n");
    const { scenario, errors } = loadScenario(join(dir, 's.yaml'), 'name: s\nmaster: {module: ./fw.ts}\nremote: {module: ./fw.ts}\nstop: {time: 1ms}\n');
    expect(errors).toEqual([]);
    const thrown = await compileModules(scenario!).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(ModuleError);
    expect((thrown as Error).message).toBe(
      `${join(dir, 's.yaml')}:2:18: ${relative(process.cwd(), module)}:1:21: "rpmsg-sim" is the API for programs that embed the simulator, not for firmware: a firmware module imports from "rpmsg-sim/firmware"`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
