// The built-in apps a scenario can name (`app: ping-pong`), each declared beside its code
// (declaration.ts says what a declaration holds). Adding an app is its file plus one line
// here; adding a parameter is its option and its spec, both in the app's file.

import { InternalError } from '../../sim/kernel';
import type { RegisteredApp } from './declaration';
import { floodApp } from './flood';
import { nsDemoApp } from './ns-demo';
import { pingPongApp } from './pingpong';
import { strEchoApp } from './str-echo';

/** In the order scenarios/schema.json and error messages list them. */
export const APPS = [pingPongApp, strEchoApp, floodApp, nsDemoApp] as const;

export type AppName = (typeof APPS)[number]['name'];

export const APP_NAMES: readonly AppName[] = APPS.map((app) => app.name);

export function appNamed(name: AppName): RegisteredApp<AppName> {
  const app = APPS.find((a) => a.name === name);
  // AppName is the registry's own names, so only a bug gets here.
  if (app === undefined) throw new InternalError(`no app "${name}"`);
  return app;
}
