// Preloaded into a command (`node --require THIS dist/cli.js ...`) by the tests of what a stop
// signal does, so that they need no clock. Once SIGINT, SIGTERM or SIGHUP has come, timers set
// from then on never fire: the grace timer a transform sets when stopped (it ends the process by
// the signal a moment later) cannot decide the outcome, which is then only what the command does
// on its next read, or at a second signal. Nothing else changes, the signal handling included
// (this listener is one more, and the command's own removes it when it re-raises the signal).
let signalled = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => (signalled = true));
const realSetTimeout = globalThis.setTimeout;
globalThis.setTimeout = function setTimeout(callback, delay, ...args) {
  // The longest delay Node takes: a timer object like any other, whose callback never runs.
  return signalled ? realSetTimeout(() => undefined, 2 ** 31 - 1) : realSetTimeout(callback, delay, ...args);
};
