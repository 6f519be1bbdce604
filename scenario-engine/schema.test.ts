// scenarios/schema.json (for editors) and the loader must describe the same format: the
// committed file is what schema.ts generates (run `npm run schema` after changing the
// vocabulary or an app's declaration), every example of docs/scenario-format.md and every
// scenarios/*.yaml passes both, the docs' examples run and meet their expectations, the
// documented error output is what formatErrors prints, and the schema's vocabulary is the
// loader's.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { parse } from 'yaml';
import { listPlatforms } from '../platforms/registry';
import { APPS } from '../firmware/apps/registry';
import { formatErrors, loadScenario } from './load';
import {
  BOUND_KEYS,
  CODE_NAMES,
  CORE_KEYS,
  ENVIRONMENTS,
  EXPECT_KEYS,
  LATENCY_KEYS,
  LATENCY_STATS,
  MESSAGE_COUNT_KEYS,
  RECORD_KINDS,
  ROLES,
  RPMSG_KEYS,
  STEPS,
  STOP_KEYS,
  TOP_KEYS,
  TRACE_KEYS,
} from './vocabulary';
import { runScenario } from './run';
import { paramsDefinition, schemaText } from './schema';

const ROOT = join(__dirname, '..');
const committed = readFileSync(join(ROOT, 'scenarios', 'schema.json'), 'utf8');
const schema = JSON.parse(committed);
// Strict mode: no unknown keywords, no union types, every keyword beside the type it applies
// to, every required key declared (https://ajv.js.org/strict-mode.html). allErrors, as
// editors report every error they find.
const ajv = new Ajv2020({ strict: true, allErrors: true });
const validate = ajv.compile(schema);

function rawErrors(text: string) {
  return validate(parse(text)) ? [] : (validate.errors ?? []);
}

function schemaErrors(text: string): string[] {
  return rawErrors(text).map((e) => `${e.instancePath} ${e.message}`);
}

interface Example {
  name: string;
  text: string;
  invalid: boolean;
  /** For an invalid example: the text block after it (the documented output). */
  output?: string;
}

/** The named ```yaml blocks of the docs (see the comment at the top of the page). */
function docExamples(): Example[] {
  const markdown = readFileSync(join(ROOT, 'docs', 'scenario-format.md'), 'utf8');
  const blocks = [...markdown.matchAll(/^```(\w*)([^\n]*)\n([\s\S]*?)^```$/gm)].map((m) => ({
    lang: m[1]!,
    words: m[2]!.trim().split(/\s+/).filter((w) => w !== ''),
    body: m[3]!,
  }));
  const examples: Example[] = [];
  blocks.forEach((block, i) => {
    if (block.lang !== 'yaml' || block.words.length === 0) return;
    const invalid = block.words.includes('invalid');
    const next = blocks[i + 1];
    examples.push({
      name: block.words[0]!,
      text: block.body,
      invalid,
      ...(invalid && next?.lang === 'text' && { output: next.body }),
    });
  });
  return examples;
}

const examples = docExamples();
const scenarioDir = join(ROOT, 'scenarios');
const scenarioFiles = readdirSync(scenarioDir).filter((f) => f.endsWith('.yaml'));

test('scenarios/schema.json is what `npm run schema` writes, byte for byte', () => {
  expect(committed).toBe(schemaText());
});

test('the schema is valid JSON Schema 2020-12', () => {
  expect(ajv.validateSchema(schema)).toBe(true);
});

test('the schema compiles under ajv strict mode', () => {
  expect(() => new Ajv2020({ strict: true }).compile(JSON.parse(committed))).not.toThrow();
});

test('the schema uses no keyword that draft-07 validators (yaml-language-server) ignore', () => {
  const newer = ['dependentSchemas', 'dependentRequired', 'unevaluatedProperties', 'unevaluatedItems', 'prefixItems', '$dynamicRef', '$anchor', 'minContains', 'maxContains'];
  const found = new Set<string>();
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (newer.includes(key)) found.add(key);
      // Property names are not keywords.
      if (key === 'properties' || key === '$defs') Object.values(value as object).forEach(walk);
      else walk(value);
    }
  };
  walk(schema);
  expect([...found]).toEqual([]);
});

test('every key of the schema has a description', () => {
  // Each property, definition, additionalProperties and items schema carries a description,
  // or is a $ref to a definition that does; `if` conditions and boolean schemas are no keys.
  const missing: string[] = [];
  const described = (node: Record<string, unknown>): boolean =>
    typeof node['description'] === 'string' ||
    (typeof node['$ref'] === 'string' && typeof schema.$defs[node['$ref'].slice('#/$defs/'.length)]?.description === 'string');
  const walk = (node: unknown, path: string): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach((v, i) => walk(v, `${path}/${i}`));
    for (const [key, value] of Object.entries(node)) {
      if (key === 'if') continue;
      const at = `${path}/${key}`;
      if ((key === 'properties' || key === '$defs') && typeof value === 'object') {
        for (const [name, sub] of Object.entries(value as object)) {
          if (typeof sub === 'object' && !described(sub)) missing.push(`${at}/${name}`);
          walk(sub, `${at}/${name}`);
        }
      } else if ((key === 'items' || key === 'additionalProperties') && typeof value === 'object') {
        if (!described(value)) missing.push(at);
        walk(value, at);
      } else walk(value, at);
    }
  };
  walk(schema, '#');
  expect(missing).toEqual([]);
  // The ones the issue named.
  expect(schema.properties.trace.description).toMatch(/golden trace/);
  expect(defs().trace.description).toMatch(/golden trace/);
  expect(defs()['step-init'].description).toBe('rpmsg_lite_master_init / rpmsg_lite_remote_init.');
  expect(defs().step.description).toContain('init (rpmsg_lite_master_init / rpmsg_lite_remote_init)');
  expect(Object.keys(defs().expect.properties.codes.properties)).toEqual([...CODE_NAMES]);
  expect(defs().expect.properties.codes.properties.RL_NOT_READY.description).toBe('RL_NOT_READY (-5007): the link is not up.');
});

function defs() {
  return schema.$defs;
}

describe('one mistake, one error (or a few) at its path', () => {
  // Errors ajv reports with allErrors, as an editor shows them: `before` is what the schema
  // of before issue 13 gave (a oneOf over the 16 step kinds, a oneOf for sizes), measured
  // with the same text; `errors` what this schema gives, with the paths they point at. Each
  // if/then/else adds its own "must match" error to the one inside it; the schema uses no
  // keyword draft-07 lacks (dependentSchemas), which editors' YAML support validates with.
  const remote = 'remote: {steps: [init]}\nstop: {time: 1ms}\n';
  const master = (step: string) => `master: {steps: [init, {create-endpoint: {name: a}}, ${step}]}\n${remote}`;
  const flood = `master: {app: flood}\n${remote}`;
  const s2 = '/master/steps/2';
  test.each([
    { mistake: 'a bad size in a send step', text: master('{send: {from: a, to: 1, size: 12X}}'), before: 35, errors: 3, paths: [`${s2}/send/size`, s2] },
    { mistake: 'an unknown field in a step', text: master('{send: {from: a, to: 1, size: 4, colour: red}}'), before: 33, errors: 2, paths: [`${s2}/send`, s2] },
    { mistake: 'a missing field of a step', text: master('{send: {from: a, size: 4}}'), before: 33, errors: 2, paths: [`${s2}/send`, s2] },
    { mistake: 'a misspelt step kind', text: master('{sned: {from: a, to: 1, size: 4}}'), before: 34, errors: 3, paths: [s2] },
    { mistake: 'a bare step that needs fields', text: master('send'), before: 18, errors: 2, paths: [s2] },
    { mistake: 'a delay without a unit', text: master('{delay: 10}'), before: 35, errors: 3, paths: [`${s2}/delay`, s2] },
    { mistake: 'a step with two keys', text: master('{init: null, ns-bind: null}'), before: 46, errors: 2, paths: [s2] },
    { mistake: 'a send with size and data', text: master('{send: {from: a, to: 1, size: 1, data: x}}'), before: 33, errors: 3, paths: [`${s2}/send/data`, `${s2}/send`, s2] },
    { mistake: 'a bad on-receive', text: master('{create-endpoint: {name: b, on-receive: keep}}'), before: 33, errors: 2, paths: [`${s2}/create-endpoint/on-receive`, s2] },
    { mistake: 'a stop time without a unit', text: 'master: {app: flood}\nremote: {app: flood}\nstop: {time: 10}\n', before: 1, errors: 1, paths: ['/stop/time'] },
    { mistake: 'both app and steps', text: `master: {app: flood, steps: [init]}\n${remote}`, before: 1, errors: 2, paths: ['/master/steps', '/master'] },
    { mistake: 'an unknown key of a core', text: `master: {app: flood, colour: red}\n${remote}`, before: 1, errors: 1, paths: ['/master'] },
    { mistake: 'an unknown app', text: `master: {app: flod}\n${remote}`, before: 1, errors: 1, paths: ['/master/app'] },
    { mistake: "a bad size in an app's params", text: `master: {app: flood, params: {count: 1, payload-size: 12X}}\n${remote}`, before: 4, errors: 3, paths: ['/master/params/payload-size', '/master'] },
    { mistake: 'an unknown return code', text: `${flood}expect: {codes: {RL_OK: 1}}\n`, before: 2, errors: 1, paths: ['/expect/codes'] },
    { mistake: 'a buffer count not a power of two', text: `${flood}rpmsg: {buffer-count: 3}\n`, before: 1, errors: 1, paths: ['/rpmsg/buffer-count'] },
  ])('$mistake: $before errors before, $errors now', ({ text, errors, paths }) => {
    const found = rawErrors(text);
    expect(found).toHaveLength(errors);
    expect([...new Set(found.map((e) => e.instancePath))]).toEqual(paths);
    expect(loadScenario('x.yaml', text).errors).not.toEqual([]);
  });

  test('the error of a bad size names what a size is', () => {
    const messages = schemaErrors(master('{send: {from: a, to: 1, size: 12X}}'));
    expect(messages[0]).toBe(`${s2}/send/size must match pattern "^\\s*\\d+(\\.\\d+)?\\s*(B|KiB|MiB|GiB)?\\s*$"`);
  });
});

test('the docs have the examples the page promises', () => {
  expect(examples.map((e) => e.name)).toEqual([
    'ping-pong.yaml',
    'steps.yaml',
    'zero-copy.yaml',
    'hold-release.yaml',
    'name-service.yaml',
    'rtos-queue.yaml',
    'alias-loop.yaml',
    'mistakes.yaml',
    'slow-memory.yaml',
    'too-many-buffers.yaml',
  ]);
});

describe.each(examples.filter((e) => !e.invalid).map((e) => [e.name, e] as const))('docs example %s', (_name, example) => {
  test('passes the schema', () => {
    expect(schemaErrors(example.text)).toEqual([]);
  });
  test('passes the loader', () => {
    expect(formatErrors(loadScenario(example.name, example.text).errors)).toBe('');
  });
  test('runs and meets its expectations', () => {
    const { scenario } = loadScenario(example.name, example.text);
    const summary = runScenario(scenario!);
    expect(summary.expectations.filter((e) => !e.ok)).toEqual([]);
    expect(summary.ok).toBe(true);
  });
});

describe.each(examples.filter((e) => e.invalid).map((e) => [e.name, e] as const))('docs example %s (with mistakes)', (_name, example) => {
  test('fails with exactly the documented output', () => {
    expect(example.output).toBeDefined();
    expect(formatErrors(loadScenario(example.name, example.text).errors)).toBe(example.output);
  });
});

describe('scenarios/*.yaml', () => {
  test.each(scenarioFiles.length > 0 ? scenarioFiles : ['(none yet)'])('%s passes the schema and the loader', (file) => {
    if (file === '(none yet)') return;
    const path = join(scenarioDir, file);
    const text = readFileSync(path, 'utf8');
    expect(schemaErrors(text)).toEqual([]);
    expect(formatErrors(loadScenario(path, text).errors)).toBe('');
  });
});

describe('the schema rejects what the loader rejects, structurally', () => {
  const cores = 'master: {app: ping-pong, params: {count: 1, payload-size: 4B}}\nremote: {app: ping-pong}\n';
  test.each([
    ['an unknown key', `${cores}stop: {time: 1ms}\nfoo: 1\n`],
    ['a missing stop', cores],
    ['an empty stop', `${cores}stop: {}\n`],
    ['a duration without a unit', `${cores}stop: {time: 10}\n`],
    ['two of app, steps, module', 'master: {app: flood, steps: [init]}\nremote: {steps: [init]}\nstop: {time: 1ms}\n'],
    ['params without an app', 'master: {steps: [init], params: {}}\nremote: {steps: [init]}\nstop: {time: 1ms}\n'],
    ['a step with two keys', 'master: {steps: [{init: null, ns-bind: null}]}\nremote: {steps: [init]}\nstop: {time: 1ms}\n'],
    ['a bare step that needs fields', 'master: {steps: [send]}\nremote: {steps: [init]}\nstop: {time: 1ms}\n'],
    ['a send with size and data', 'master: {steps: [{send: {from: a, to: 1, size: 1, data: x}}]}\nremote: {steps: [init]}\nstop: {time: 1ms}\n'],
    ['a step field of the wrong kind', 'master: {steps: [init, {create-endpoint: {name: a, on-receive: keep}}]}\nremote: {steps: [init]}\nstop: {time: 1ms}\n'],
    ['an unknown param', 'master: {app: flood, params: {count: 1, payload-size: 1, speed: 2}}\nremote: {app: flood}\nstop: {time: 1ms}\n'],
    ['a param of the wrong kind', 'master: {app: flood, params: {count: 1, payload-size: 1, log: 3}}\nremote: {app: flood}\nstop: {time: 1ms}\n'],
    ['an unknown app', 'master: {app: flod}\nremote: {steps: [init]}\nstop: {time: 1ms}\n'],
    ['an unknown code', `${cores}stop: {time: 1ms}\nexpect: {codes: {RL_OK: 1}}\n`],
    ['an empty bound', `${cores}stop: {time: 1ms}\nexpect: {latency: {one-way: {max: {}}}}\n`],
  ])('%s', (_what, text) => {
    expect(schemaErrors(text)).not.toEqual([]);
    expect(loadScenario('x.yaml', text).errors).not.toEqual([]);
  });
});

describe("the schema's vocabulary is the loader's", () => {
  const defs = schema.$defs;
  const keys = (node: { properties: object }): string[] => Object.keys(node.properties);

  test('sections and their keys', () => {
    expect(keys(schema)).toEqual([...TOP_KEYS]);
    expect(keys(defs.core)).toEqual([...CORE_KEYS]);
    expect(defs.core.properties.environment.enum).toEqual([...ENVIRONMENTS]);
    expect(keys(defs.rpmsg)).toEqual([...RPMSG_KEYS]);
    expect(keys(defs.stop)).toEqual([...STOP_KEYS]);
    expect(keys(defs.expect)).toEqual([...EXPECT_KEYS]);
    expect(keys(defs.expect.properties.messages)).toEqual([...MESSAGE_COUNT_KEYS]);
    expect(keys(defs.expect.properties.latency)).toEqual([...LATENCY_KEYS]);
    expect(keys(defs.expect.properties['link-up'])).toEqual([...ROLES]);
    expect(keys(defs.latencyBounds)).toEqual([...LATENCY_STATS]);
    expect(keys(defs.bound)).toEqual([...BOUND_KEYS]);
    expect(keys(defs.trace)).toEqual([...TRACE_KEYS]);
  });

  test('platforms, return codes, record kinds', () => {
    expect(schema.properties.platform.enum).toEqual(listPlatforms());
    expect(Object.keys(defs.expect.properties.codes.properties)).toEqual([...CODE_NAMES]);
    expect(defs.trace.properties.kinds.items.enum).toEqual([...RECORD_KINDS]);
  });

  test('apps and their params', () => {
    const schemaApps: Record<string, string> = { 'ping-pong': 'pingPongParams', 'str-echo': 'strEchoParams', flood: 'floodParams', 'ns-demo': 'nsDemoParams' };
    expect(defs.core.properties.app.enum).toEqual(APPS.map((a) => a.name));
    for (const { name: app, params: specs } of APPS) {
      expect(paramsDefinition(app)).toBe(schemaApps[app]);
      const params = defs[schemaApps[app]!];
      expect([app, keys(params)]).toEqual([app, specs.map((s) => s.key)]);
      expect([app, params.required]).toEqual([app, specs.filter((s) => s.required).map((s) => s.key)]);
    }
  });

  test('steps and their fields', () => {
    const bare = defs.step.then.enum as string[];
    expect(bare).toEqual(Object.entries(STEPS).filter(([, s]) => s.required.length === 0).map(([k]) => k));
    expect(defs.step.else.propertyNames.enum).toEqual(Object.keys(STEPS));
    expect(Object.entries(defs.step.else.properties).map(([k, r]) => [k, (r as { $ref: string }).$ref])).toEqual(Object.keys(STEPS).map((k) => [k, `#/$defs/step-${k}`]));
    for (const [kind, spec] of Object.entries(STEPS)) {
      const body = defs[`step-${kind}`];
      // A step with a shorthand allows the shorthand's scalar or the map of fields (if it is
      // a map, then the fields, else the scalar); a step whose fields are all optional also
      // allows null (- init:).
      const fieldsMap = spec.shorthand !== undefined ? body.then : spec.required.length === 0 ? body.else : body;
      expect([kind, fieldsMap.type]).toEqual([kind, 'object']);
      expect([kind, Object.keys(fieldsMap.properties ?? {})]).toEqual([kind, Object.keys(spec.fields)]);
      expect([kind, fieldsMap.required ?? []]).toEqual([kind, [...spec.required]]);
      expect([kind, body.else]).toEqual([kind, spec.shorthand !== undefined ? spec.fields[spec.shorthand] : spec.required.length === 0 ? fieldsMap : undefined]);
    }
  });
});
