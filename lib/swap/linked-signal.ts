/** The requests in flight under one caller's signal, and the one listener that aborts them. */
interface Links {
  readonly controllers: Set<AbortController>;
  readonly abort: () => void;
}

// One entry per caller's signal with requests in flight, gone when the last one settles: the
// signal never holds more than one listener of ours however many calls share it (Node warns at 11).
const links = new WeakMap<AbortSignal, Links>();

/**
 * A signal of its own for one request, aborted with the caller's. The client adds a listener to
 * the signal it is given for every request, so it gets this one rather than the caller's, which
 * may be one long-lived signal shared by many concurrent calls; `dispose` when the request settles.
 */
export function linkSignal(parent: AbortSignal | undefined): { signal: AbortSignal; dispose: () => void } | undefined {
  if (parent === undefined) return undefined;
  const controller = new AbortController();
  if (parent.aborted) {
    controller.abort(parent.reason);
    return { signal: controller.signal, dispose: () => undefined };
  }
  let entry = links.get(parent);
  if (entry === undefined) {
    const controllers = new Set<AbortController>();
    const abort = (): void => {
      links.delete(parent);
      for (const linked of controllers) linked.abort(parent.reason);
    };
    entry = { controllers, abort };
    links.set(parent, entry);
    parent.addEventListener('abort', abort, { once: true });
  }
  const own = entry;
  own.controllers.add(controller);
  return {
    signal: controller.signal,
    dispose: () => {
      own.controllers.delete(controller);
      if (own.controllers.size > 0 || links.get(parent) !== own) return;
      parent.removeEventListener('abort', own.abort);
      links.delete(parent);
    },
  };
}
