/** Runs `f`, asserts it throws an instance of `type`, and returns the error. */
export function thrown<T>(f: () => unknown, type: abstract new (...args: any[]) => T): T {
  try {
    f();
  } catch (e) {
    if (e instanceof type) return e;
    throw new Error(`expected a ${type.name}, got ${String(e)}`, { cause: e });
  }
  throw new Error(`expected a ${type.name}, nothing was thrown`);
}
