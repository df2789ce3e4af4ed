/**
 * Loaded with `--import` into a server process by a test (never by the server itself): shifts
 * that process's wall clock by CLOCK_SKEW_MS (negative = behind), as a machine whose clock is
 * off would be. `new Date()` and `Date.now()` move; explicit dates and timers do not.
 */
const skewMs = Number(process.env.CLOCK_SKEW_MS ?? '0');

if (Number.isFinite(skewMs) && skewMs !== 0) {
  const RealDate = Date;
  const skewedNow = () => RealDate.now() + skewMs;
  globalThis.Date = new Proxy(RealDate, {
    construct(target, args: unknown[], newTarget) {
      return Reflect.construct(target, args.length === 0 ? [skewedNow()] : args, newTarget) as object;
    },
    apply() {
      return new RealDate(skewedNow()).toString();
    },
    get(target, property, receiver) {
      if (property === 'now') return skewedNow;
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
}

export {};
