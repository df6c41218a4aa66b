// Preloaded into a process the benchmark measures (`node --require peak-rss.cjs ...`): prints
// the process's peak resident memory to stderr as it exits.
process.on('exit', () => process.stderr.write(`\npeak-rss-mb: ${(process.resourceUsage().maxRSS / 1024).toFixed(1)}\n`));
