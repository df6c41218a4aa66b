// Preloaded into a command (`node --require THIS dist/cli.js ...`) by tests of how it waits, so
// that they need no real clock. Date.now() reads a clock that stands still but for the command's
// own sleeps (timers/promises' setTimeout, which fn-distil waits with between two polls): each
// moves it on by exactly the time asked, at once. A wait with --poll-interval 20 and
// --wait-timeout 300 then looks the same number of times, however busy the machine. Every other
// timer (request timeouts, the client's retries) keeps real time.
const timers = require('node:timers/promises');
const { syncBuiltinESMExports } = require('node:module');

let now = Date.now();
Date.now = () => now;
const realSetTimeout = timers.setTimeout;
timers.setTimeout = (delay = 1, value, options) => {
  now += Math.max(0, Number(delay) || 0);
  // Still a turn of the event loop, as a real sleep is.
  return realSetTimeout(0, value, options);
};
// ES modules importing 'timers/promises' see the patched function too.
syncBuiltinESMExports();
