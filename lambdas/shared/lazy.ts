/**
 * Values built when first used, then kept. A Lambda function's init runs everything its modules
 * build when they load; a request needs one operation's schema, so building all of them there
 * made up much of the API functions' cold start (bundle benchmark, README).
 */

/** `build()` on the first call, the same value on every later one. */
export function once<Value>(build: () => Value): () => Value {
  let built: { value: Value } | undefined;
  return () => {
    built ??= { value: build() };
    return built.value;
  };
}

/**
 * A record whose members are built when first read (enumerable getters, so `Object.keys` and
 * `Object.hasOwn` see every member before any is built).
 */
export function builtOnFirstRead<Builders extends Record<string, () => unknown>>(
  builders: Builders,
): { readonly [Name in keyof Builders]: ReturnType<Builders[Name]> } {
  const record = {};
  for (const [name, build] of Object.entries(builders)) {
    Object.defineProperty(record, name, { enumerable: true, get: once(build) });
  }
  return record as { readonly [Name in keyof Builders]: ReturnType<Builders[Name]> };
}
