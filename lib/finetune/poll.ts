import { setTimeout as sleep } from 'node:timers/promises';

/** How a wait polls: every `pollInterval` ms, giving up after `timeout` ms (`Infinity`: never). */
export interface PollOptions {
  /** Milliseconds between two requests. */
  readonly pollInterval?: number;
  /** Milliseconds after which the wait gives up; `Infinity` waits as long as it takes. */
  readonly timeout?: number;
}

/** A clock for one wait: how long it has run and whether it is over. */
export interface Deadline {
  elapsed(): number;
  expired(): boolean;
  /** Sleeps one poll interval, or less when the deadline comes first. */
  sleep(): Promise<void>;
}

/** Starts the clock of a wait with fully resolved poll options. */
export function deadline(options: Required<PollOptions>): Deadline {
  const start = Date.now();
  const elapsed = (): number => Date.now() - start;
  return {
    elapsed,
    expired: () => elapsed() >= options.timeout,
    // One last look at the deadline itself, so a long interval does not overshoot a short timeout.
    sleep: () => sleep(Math.max(0, Math.min(options.pollInterval, options.timeout - elapsed()))),
  };
}

/** "300 ms", "90 s", "12 min", "2 h 5 min": a duration for messages. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
