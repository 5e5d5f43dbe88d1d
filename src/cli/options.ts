/**
 * Option helpers shared by the sub-commands of `mjvote trustee` and `mjvote election`.
 * @module
 */
import { UsageError } from './command.js';

/** Parsed option values of a sub-command. */
export type OptionValues = Record<string, string | boolean | string[] | undefined>;

/** A required string option; `command` names the step for the help hint (`election open`). @throws UsageError */
export function requiredOption(v: OptionValues, name: string, command: string): string {
  const x = v[name];
  if (typeof x !== 'string' || x === '') throw new UsageError(`missing --${name} (see mjvote ${command} --help)`);
  return x;
}

/** An optional string option. */
export function optionalString(v: OptionValues, name: string): string | undefined {
  const x = v[name];
  if (x === '') throw new UsageError(`--${name} needs a value`);
  return typeof x === 'string' ? x : undefined;
}

/** A list option's values (empty when absent). */
export function listOption(v: OptionValues, name: string): string[] {
  const x = v[name];
  return Array.isArray(x) ? x : [];
}

/** A non-negative integer option in [min, max]. @throws UsageError */
export function integerOption(v: OptionValues, name: string, min: number, max: number, fallback?: number): number {
  const x = v[name];
  if (x === undefined && fallback !== undefined) return fallback;
  if (typeof x !== 'string' || !/^\d+$/.test(x))
    throw new UsageError(`--${name}: expected an integer${x === undefined ? '' : `, got '${String(x)}'`}`);
  const n = Number(x);
  if (n < min || n > max) throw new UsageError(`--${name}: expected an integer in [${min}, ${max}], got ${n}`);
  return n;
}
