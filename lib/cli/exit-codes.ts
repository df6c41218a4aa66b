/**
 * Exit codes: 0 success, 1 the command ran and found or met a failure, 2 a usage error;
 * 130 and 143 when stopped by Ctrl-C (SIGINT) or SIGTERM.
 */
export const exitCodes = { ok: 0, failure: 1, usage: 2, SIGINT: 130, SIGTERM: 143 } as const;
