/**
 * A wrapper's async calls whose examples are not recorded yet, so `flush()` and `close()` can
 * wait for them; and whether `close()` has begun, after which new calls are not recorded.
 */
export class Calls {
  private readonly pending = new Set<Promise<unknown>>();
  private stopped = false;

  /** Whether calls starting now may still be recorded (false once `close()` began). */
  get open(): boolean {
    return !this.stopped;
  }

  /** Follows a call until it settles: by then its example, if any, is in the sink. */
  track(call: Promise<unknown>): void {
    this.pending.add(call);
    const done = (): void => {
      this.pending.delete(call);
    };
    // Both handlers, so a rejection is handled here and still reaches the caller through `call`.
    call.then(done, done);
  }

  /** Calls starting from now are no longer recorded. */
  stop(): void {
    this.stopped = true;
  }

  /** Resolves when every call started before now has settled (fulfilled or rejected). */
  settled(): Promise<void> {
    if (this.pending.size === 0) return Promise.resolve();
    return Promise.allSettled([...this.pending]).then(() => undefined);
  }
}
