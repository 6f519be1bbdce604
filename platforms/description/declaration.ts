// How the platform's parameters are declared, and the three walks derived from a
// declaration: the override settings (`--set`, a scenario's `overrides:`), validation with
// the sources map, and the description text. The declaration itself (which parameters a
// platform has) is in parameters.ts; nothing here knows about SoCs.
//
// A declaration mirrors the shape of the data it declares (the compiler checks that every
// field has its node): a `param` node for a `Param {value, source}`, a `field` node for a
// plain value (a name, a choice), `group` for an object with fixed keys, `list` for an array
// of named items, `map` for an object keyed by names (clocks, cores).

import { InternalError } from '../../sim/kernel';
import { closestWords } from '../../sim/text/did-you-mean';
import type { Param } from '../../sim/hw/param';

// ---- the declaration's types ----------------------------------------------------------------

/** What a check is given: a number for a numeric parameter, else the value as found (the check decides). */
export type Checked<V> = V extends number ? number : unknown;

/** How a value appears in the description text. */
export interface Show<V> {
  /** The label of its "label = value" line (per map key for values kept per core); none: only its source line. */
  readonly label?: string | ((key: string) => string);
  /** The value as shown (default: `String(value)`); `owner` is the resolved object holding it. */
  format?(value: V, owner: Readonly<Record<string, unknown>>): string;
}

/** A `Param {value, source}`: a number (or choice) that must say where it comes from. */
export interface ParamDecl<V, C> {
  readonly kind: 'param';
  /** What an override must be; 'either': the type the description gives. */
  readonly type: 'number' | 'string' | 'either';
  /** The problem with a value (a number, when `type` is 'number'), if any. `key`: the nearest map key. */
  check?(value: Checked<V>, ctx: C, key: string): string | undefined;
  /** What a number with a unit written in a scenario converts from ("200MHz", "8KiB"); none: a plain number. */
  readonly unit?: ParamUnit;
  readonly show: Show<V>;
}

/** The units a parameter may declare: frequencies in Hz, sizes in bytes. */
export type ParamUnit = 'hz' | 'bytes';

/** A plain value: a name, a choice, a list of names (never shown on a line of its own). */
export interface FieldDecl<C> {
  readonly kind: 'field';
  /** What an override must be; 'list': a comma-separated string. */
  readonly type: 'string' | 'number' | 'list';
  /** The value when the description leaves the field out (the field is optional). */
  readonly default?: unknown;
  /** The name that keys a list item (the list reports a missing one); not an override. */
  readonly isKey?: boolean;
  /** Not an override (the platform's own name and title). */
  readonly fixed?: boolean;
  /** The problem with a value that is there, if any. */
  check?(value: unknown, ctx: C): string | undefined;
}

/** How a group, list or map shows in the description text. */
export interface Layout<R> {
  /** A section: a blank line, then this title. */
  title?(resolved: R): string;
  /** A line at the current indentation. */
  /** `key`: the map key or list key the group is under (a region's name), '' at the top. */
  heading?(resolved: R, key: string): string;
  /** Children two columns further in (default: when there is a heading or a title). */
  readonly indentChildren?: boolean;
}

export interface GroupDecl<T, C> extends Layout<Resolved<T>> {
  readonly kind: 'group';
  readonly fields: { readonly [K in keyof T]-?: Decl<NonNullable<T[K]>, C> };
}

export interface ListDecl<E, C> extends Layout<readonly Resolved<E>[]> {
  readonly kind: 'list';
  /** A description may leave the list out: it resolves to no items (a core's caches). */
  readonly optional?: boolean;
  readonly item: GroupDecl<E, C>;
  /** The path key of each item: its name (`noun`: "a core needs a name") or a function of all items. */
  readonly keys: { readonly byName: string } | { byItems(items: readonly unknown[]): string[] };
}

/** The keys of a map that are names declared elsewhere (the cores): which, in order, and the messages. */
export interface MapKeys<C> {
  expected(ctx: C): readonly string[];
  unknown(key: string): string;
  readonly missing: string;
}

export interface MapDecl<E, C> extends Layout<Readonly<Record<string, Resolved<E>>>> {
  readonly kind: 'map';
  readonly entry: Decl<E, C>;
  /** Free names (the clocks) when absent. */
  readonly keys?: MapKeys<C>;
}

/** The node that declares a value of type T. */
export type Decl<T, C> =
  T extends Param<infer V>
    ? ParamDecl<V, C>
    : T extends readonly (infer E)[]
      ? E extends string
        ? FieldDecl<C>
        : ListDecl<E, C>
      : T extends object
        ? string extends keyof T
          ? MapDecl<T[string], C>
          : GroupDecl<T, C>
        : FieldDecl<C>;

/** The plain value a declared T resolves to: every `Param` replaced by its value, optional fields filled in. */
export type Resolved<T> =
  T extends Param<infer V>
    ? V
    : T extends readonly unknown[]
      ? { readonly [K in keyof T]: Resolved<T[K]> }
      : T extends object
        ? { readonly [K in keyof T]-?: Resolved<NonNullable<T[K]>> }
        : T;

/** A resolution under way: any value may be missing (it failed its checks). */
export type Draft<T> = T extends readonly (infer E)[]
  ? readonly Draft<E>[]
  : T extends object
    ? { readonly [K in keyof T]?: Draft<T[K]> }
    : T | undefined;

// The walks see every node through this erased view (method parameters are bivariant, so a
// typed node fits it).
type AnyDecl<C> = AnyParam<C> | FieldDecl<C> | AnyGroup<C> | AnyList<C> | AnyMap<C>;
interface AnyParam<C> {
  readonly kind: 'param';
  readonly type: 'number' | 'string' | 'either';
  check?(value: unknown, ctx: C, key: string): string | undefined;
  readonly unit?: ParamUnit;
  readonly show: { readonly label?: string | ((key: string) => string); format?(value: unknown, owner: Readonly<Record<string, unknown>>): string };
}
interface AnyLayout {
  title?(resolved: unknown): string;
  heading?(resolved: unknown, key: string): string;
  readonly indentChildren?: boolean;
}
interface AnyGroup<C> extends AnyLayout {
  readonly kind: 'group';
  readonly fields: Readonly<Record<string, AnyDecl<C>>>;
}
interface AnyList<C> extends AnyLayout {
  readonly kind: 'list';
  readonly optional?: boolean;
  readonly item: AnyGroup<C>;
  readonly keys: { readonly byName: string } | { byItems(items: readonly unknown[]): string[] };
}
interface AnyMap<C> extends AnyLayout {
  readonly kind: 'map';
  readonly entry: AnyDecl<C>;
  readonly keys?: MapKeys<C>;
}

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** The path keys of a list's items. */
function itemKeys<C>(decl: AnyList<C>, items: readonly unknown[]): string[] {
  if ('byItems' in decl.keys) return decl.keys.byItems(items);
  return items.map((item, i) => {
    const name = isObject(item) ? item.name : undefined;
    return typeof name === 'string' && name !== '' ? name : `#${i + 1}`;
  });
}

// ---- (a) override settings ------------------------------------------------------------------

export type OverrideValue = number | string;

/** One overridable value, reached by its dotted path. */
export interface Setting {
  readonly path: string;
  /** What an override must be: a number, or a string (a list is a comma-separated string). */
  readonly type: 'number' | 'string';
  /** Writes the value into the description; returns the note for the sources map. */
  set(value: OverrideValue): string;
}

/** Every overridable value of `data`, in declaration order (which is also the order of suggestions). */
export function settingsOf<T, C>(decl: GroupDecl<T, C>, data: unknown): Setting[] {
  const out: Setting[] = [];
  const walk = (d: AnyDecl<C>, owner: Obj, key: string, path: string): void => {
    const value = owner[key];
    switch (d.kind) {
      case 'param': {
        if (!isObject(value)) return;
        // A yes/no parameter (a cache enabled) takes "true" or "false".
        const yesNo = typeof value.value === 'boolean';
        const type = d.type !== 'either' ? d.type : typeof value.value === 'string' || yesNo ? 'string' : 'number';
        out.push({
          path,
          type,
          set: (v) => {
            const note = `override (the platform says ${describePlain(value.value)}: ${String(value.source)})`;
            value.value = yesNo && (v === 'true' || v === 'false') ? v === 'true' : v;
            value.source = note;
            return note;
          },
        });
        return;
      }
      case 'field': {
        if (d.isKey === true || d.fixed === true) return;
        if (d.type === 'list') {
          out.push({
            path,
            type: 'string',
            set: (v) => {
              const before = Array.isArray(value) ? value.map(String).join(',') : '';
              owner[key] = String(v)
                .split(',')
                .map((s) => s.trim())
                .filter((s) => s !== '');
              return `override (the platform says ${before || 'nothing'})`;
            },
          });
          return;
        }
        out.push({
          path,
          type: d.type,
          set: (v) => {
            const note = `override (the platform says ${describePlain(value ?? d.default)})`;
            owner[key] = v;
            return note;
          },
        });
        return;
      }
      case 'group':
        if (isObject(value)) for (const [k, child] of Object.entries(d.fields)) walk(child, value, k, join(path, k));
        return;
      case 'list':
        if (Array.isArray(value)) {
          const keys = itemKeys(d, value);
          value.forEach((item, i) => {
            if (isObject(item)) for (const [k, child] of Object.entries(d.item.fields)) walk(child, item, k, join(`${path}.${keys[i]}`, k));
          });
        }
        return;
      case 'map':
        if (isObject(value)) for (const k of Object.keys(value)) walk(d.entry, value, k, `${path}.${k}`);
        return;
    }
  };
  if (isObject(data)) for (const [k, child] of Object.entries(erase(decl).fields)) walk(child, data, k, k);
  return out;
}

/**
 * The unit of the parameter an override path names, found from the path's shape alone (a
 * list item's or map entry's key is skipped), so that it holds for every platform the
 * declaration describes; undefined for a path that names no parameter with a unit.
 */
export function unitAt<T, C>(decl: GroupDecl<T, C>, path: string): ParamUnit | undefined {
  const walk = (d: AnyDecl<C>, keys: readonly string[]): ParamUnit | undefined => {
    if (d.kind === 'param') return keys.length === 0 ? d.unit : undefined;
    const [key, ...rest] = keys;
    if (key === undefined) return undefined;
    switch (d.kind) {
      case 'field':
        return undefined;
      case 'group':
        return Object.hasOwn(d.fields, key) ? walk(d.fields[key]!, rest) : undefined;
      case 'list':
        return walk(d.item, rest);
      case 'map':
        return walk(d.entry, rest);
    }
  };
  return walk(erase(decl), path.split('.'));
}

/** One problem: where (dotted path) and what. */
export interface Issue {
  readonly path: string;
  readonly message: string;
}

/** Applies overrides through the settings; an unknown path or a value of the wrong type is an issue. */
export function applyOverrides(settings: readonly Setting[], overrides: Readonly<Record<string, OverrideValue>>, issues: Issue[]): Map<string, string> {
  const notes = new Map<string, string>();
  const byPath = new Map(settings.map((s) => [s.path, s]));
  for (const [path, value] of Object.entries(overrides)) {
    const setting = byPath.get(path);
    if (setting === undefined) {
      const nearest = closestWords(path, settings.map((s) => s.path), 3);
      issues.push({ path, message: `no such setting; nearest valid paths: ${nearest.join(', ')}` });
      continue;
    }
    if (typeof value !== setting.type) {
      issues.push({ path, message: `expected a ${setting.type}, got ${describeValue(value)}` });
      continue;
    }
    notes.set(path, setting.set(value));
  }
  return notes;
}

// ---- (b) validation -------------------------------------------------------------------------

export const NO_SOURCE =
  'has no source; say where it comes from (document and section, SDK file, or "Assumption: ... because ...")';

/**
 * Reads `data` as the declaration says: every value checked on its own, every source
 * recorded by path. A value that fails (or is missing) is left out of the draft, and the
 * problem added to `issues`; rules between values run on the draft afterwards.
 */
export function resolveDeclared<T, C>(
  decl: GroupDecl<T, C>,
  data: unknown,
  ctx: C,
  issues: Issue[],
  sources: Record<string, string>,
): Draft<Resolved<T>> {
  const issue = (path: string, message: string): void => {
    issues.push({ path, message });
  };
  const walk = (d: AnyDecl<C>, value: unknown, path: string, key: string): unknown => {
    switch (d.kind) {
      case 'param': {
        if (!isObject(value) || !('value' in value) || value.value === undefined) {
          issue(path, 'missing');
          return undefined;
        }
        if (typeof value.source !== 'string' || value.source.trim() === '') issue(path, NO_SOURCE);
        else sources[path] = value.source;
        const v = value.value;
        if (d.type === 'number' && typeof v !== 'number') {
          issue(path, `expected a number, got ${describeValue(v)}`);
          return undefined;
        }
        const problem = d.check?.(v, ctx, key);
        if (problem !== undefined) {
          issue(path, problem);
          return undefined;
        }
        return v;
      }
      case 'field': {
        if (value === undefined) {
          if ('default' in d) return d.default;
          if (d.isKey !== true) issue(path, 'missing');
          return undefined;
        }
        if (d.type === 'list') return Array.isArray(value) ? value.map(String) : d.default;
        const problem = d.check?.(value, ctx);
        if (problem !== undefined) {
          issue(path, problem);
          return undefined;
        }
        return value;
      }
      case 'group': {
        if (!isObject(value)) {
          issue(path, 'missing');
          return undefined;
        }
        const out: Obj = {};
        for (const [k, child] of Object.entries(d.fields)) out[k] = walk(child, value[k], join(path, k), key);
        return out;
      }
      case 'list': {
        if (value === undefined && d.optional === true) return [];
        if (!Array.isArray(value)) {
          issue(path, 'missing');
          return undefined;
        }
        const keys = itemKeys(d, value);
        return value.map((item, i) => {
          const at = `${path}.${keys[i]}`;
          if ('byName' in d.keys && keys[i]!.startsWith('#')) issue(at, `a ${d.keys.byName} needs a name`);
          return walk(d.item, item, at, key);
        });
      }
      case 'map': {
        if (!isObject(value)) {
          issue(path, 'missing');
          return undefined;
        }
        const out: Obj = {};
        if (d.keys === undefined) {
          for (const [k, entry] of Object.entries(value)) out[k] = walk(d.entry, entry, `${path}.${k}`, k);
          return out;
        }
        const expected = d.keys.expected(ctx);
        for (const k of Object.keys(value)) if (!expected.includes(k)) issue(`${path}.${k}`, d.keys.unknown(k));
        for (const k of expected) {
          if (value[k] === undefined) issue(`${path}.${k}`, d.keys.missing);
          else out[k] = walk(d.entry, value[k], `${path}.${k}`, k);
        }
        return out;
      }
    }
  };
  const draft = walk(erase(decl), data, '', '');
  // The walk builds exactly the shape the declaration describes, with failed values left out.
  return (draft ?? {}) as Draft<Resolved<T>>;
}

/** The draft as a complete value: throws an InternalError if a value is still missing (call it only when there are no issues). */
export function completed<T, C>(decl: GroupDecl<T, C>, draft: Draft<Resolved<T>>): Resolved<T> {
  const check = (d: AnyDecl<C>, value: unknown, path: string): void => {
    if (value === undefined) throw new InternalError(`platform resolution left ${path || 'the platform'} empty without reporting it`);
    if (d.kind === 'group' && isObject(value)) for (const [k, child] of Object.entries(d.fields)) check(child, value[k], join(path, k));
    if (d.kind === 'list' && Array.isArray(value)) value.forEach((item, i) => check(d.item, item, `${path}.#${i + 1}`));
    if (d.kind === 'map' && isObject(value)) for (const [k, entry] of Object.entries(value)) check(d.entry, entry, `${path}.${k}`);
  };
  check(erase(decl), draft, '');
  // Checked above: no value is missing, so the draft is the resolved value.
  return draft as Resolved<T>;
}

// ---- (c) the description text ---------------------------------------------------------------

/** Every shown value with its label, format and source line, laid out as the declaration says. */
export function describeDeclared<T, C>(decl: GroupDecl<T, C>, resolved: Resolved<T>, sources: Readonly<Record<string, string>>): string {
  const lines: string[] = [];
  const source = (indent: string, path: string): void => {
    lines.push(`${indent}    ${path}: ${sources[path] ?? '(no source)'}`);
  };
  const layout = (d: AnyLayout, value: unknown, indent: string, key = ''): string => {
    if (d.title !== undefined) lines.push('', d.title(value));
    if (d.heading !== undefined) lines.push(`${indent}${d.heading(value, key)}`);
    const deeper = d.indentChildren ?? (d.title !== undefined || d.heading !== undefined);
    return deeper ? `${indent}  ` : indent;
  };
  const walk = (d: AnyDecl<C>, value: unknown, owner: Obj, path: string, key: string, indent: string): void => {
    switch (d.kind) {
      case 'param': {
        const label = typeof d.show.label === 'function' ? d.show.label(key) : d.show.label;
        if (label !== undefined) lines.push(`${indent}${label} = ${d.show.format?.(value, owner) ?? String(value)}`);
        source(indent, path);
        return;
      }
      case 'field':
        return;
      case 'group': {
        if (!isObject(value)) return;
        const inner = layout(d, value, indent, key);
        for (const [k, child] of Object.entries(d.fields)) walk(child, value[k], value, join(path, k), key, inner);
        return;
      }
      case 'list': {
        if (!Array.isArray(value)) return;
        const inner = layout(d, value, indent);
        const keys = itemKeys(d, value);
        value.forEach((item, i) => walk(d.item, item, owner, `${path}.${keys[i]}`, key, inner));
        return;
      }
      case 'map': {
        if (!isObject(value)) return;
        const inner = layout(d, value, indent);
        for (const [k, entry] of Object.entries(value)) walk(d.entry, entry, value, `${path}.${k}`, k, inner);
        return;
      }
    }
  };
  walk(erase(decl), resolved, {}, '', '', '');
  return lines.join('\n') + '\n';
}

// ---- helpers --------------------------------------------------------------------------------

function erase<T, C>(decl: GroupDecl<T, C>): AnyGroup<C> {
  return decl;
}

/** For "expected …, got …": the type and the value. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `the string "${value}"`;
  if (typeof value === 'number') return `the number ${value}`;
  if (value === null) return 'null';
  return `a value of type ${typeof value}`;
}

/** A value as written in a message: strings quoted. */
export function describePlain(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : String(value);
}
