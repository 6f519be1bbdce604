// How a built-in app declares itself to scenarios: its name, its parameters and its factory,
// in one object beside the app (registry.ts lists them). The parameter list is typed against
// the app's own options interface, so a parameter that names no option, gives it the wrong
// kind, marks an optional one required (or the reverse) or leaves an option out fails `tsc`.
// The scenario loader reads the parameters from here, the runner calls `create`, and
// scenarios/schema.json is generated from the same declarations.

import { InternalError } from '../../sim/kernel';
import type { Program, Role } from '../program';

/** How a parameter is written in a scenario and what the app gets (base units). */
export interface ParamKinds {
  /** A whole number, at least 1 unless `min` says more. */
  count: number;
  /** Bytes, written with a unit (64B, 1KiB) or as a plain number. */
  size: number;
  /** Cycles of the clock of the core that spends them. */
  cycles: number;
  flag: boolean;
  /** An endpoint address, 0 to 0xFFFFFFFE. */
  address: number;
  /** A name-service name (at most RL_NS_NAME_SIZE bytes). */
  'ns-name': string;
  /** A non-empty list of name-service names. */
  'ns-names': string[];
  /** A non-empty list of non-empty strings. */
  strings: string[];
}
export type ParamKind = keyof ParamKinds;

/** The kinds whose value is exactly T (so `payloadSize: number` may be a count or a size, not a flag). */
type KindsOf<T> = { [K in ParamKind]: [ParamKinds[K]] extends [T] ? ([T] extends [ParamKinds[K]] ? K : never) : never }[ParamKind];

/** One parameter, declared under the name of its option: how the scenario spells it and checks it. */
export interface ParamDeclaration<Kind extends ParamKind = ParamKind, Required extends boolean = boolean> {
  /** In the YAML (kebab-case). */
  readonly key: string;
  readonly kind: Kind;
  /** True exactly when the option is not optional in the app's options type. */
  readonly required: Required;
  /** Smallest value (counts and sizes), with the reason; the scenario loader checks it. */
  readonly min?: { readonly value: number; readonly why: string };
  /** For people and for the schema (a sentence; the minimum is added when there is one). */
  readonly description: string;
  /** For `cycles`: the core that spends them (the scenario's checks convert them with its clock). */
  readonly spentBy?: Role;
}

/** Every option of O, each with its declaration (in the order scenarios list them). */
export type ParamDeclarations<O> = {
  readonly [K in keyof O & string]-?: ParamDeclaration<KindsOf<NonNullable<O[K]>>, undefined extends O[K] ? false : true>;
};

/** A parameter as the registry lists it: its declaration and the option it sets. */
export interface ParamSpec extends ParamDeclaration {
  /** In the app's options object. */
  readonly option: string;
}

/** The two halves of an app, one per core. */
export interface AppPrograms {
  master: Program;
  remote: Program;
}

export interface AppDeclaration<N extends string, O> {
  readonly name: N;
  readonly description: string;
  readonly params: ParamDeclarations<O>;
  /** Both halves from one options object (the same on both cores). */
  create(options: O): AppPrograms;
}

/** An app as the registry holds it: its options type is known only to `create`. */
export interface RegisteredApp<N extends string = string> {
  readonly name: N;
  readonly description: string;
  readonly params: readonly ParamSpec[];
  /** Makes the app from validated params (as the scenario loader builds them). */
  create(params: Readonly<Record<string, unknown>>): AppPrograms;
}

/**
 * Declares an app whose options are O: `declareApp<PingPongOptions>()({ name, params, create })`.
 * (Curried so that O is given and the name's literal type is inferred.)
 */
export function declareApp<O>() {
  return <const N extends string>(declaration: AppDeclaration<N, O>): RegisteredApp<N> => {
    const params: readonly ParamSpec[] = Object.entries<ParamDeclaration>(declaration.params).map(([option, spec]) => ({ option, ...spec }));
    return {
      name: declaration.name,
      description: declaration.description,
      params,
      create(values) {
        if (!conforms<O>(params, values)) {
          throw new InternalError(`${declaration.name}: params ${JSON.stringify(values)} do not match the app's declaration (the loader should have refused them)`);
        }
        return declaration.create(values);
      },
    };
  };
}

/** Checks the shape the declaration promises: known options only, required ones present, each of its kind. */
function conforms<O>(specs: readonly ParamSpec[], values: Readonly<Record<string, unknown>>): values is Readonly<Record<string, unknown>> & O {
  for (const option of Object.keys(values)) if (!specs.some((s) => s.option === option)) return false;
  return specs.every((spec) => {
    const value = values[spec.option];
    return value === undefined ? !spec.required : isKind(spec.kind, value);
  });
}

function isKind(kind: ParamKind, value: unknown): boolean {
  switch (kind) {
    case 'count':
    case 'size':
    case 'cycles':
    case 'address':
      return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
    case 'flag':
      return typeof value === 'boolean';
    case 'ns-name':
      return typeof value === 'string';
    case 'ns-names':
    case 'strings':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
  }
}
