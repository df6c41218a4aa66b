/**
 * Exit codes: 0 success, 1 the command ran and found or met a failure, 2 a usage error;
 * 130, 143 and 129 when stopped by Ctrl-C (SIGINT), SIGTERM or a closed terminal (SIGHUP), 141 when the reader of the output
 * went away (`| head`), as shells report a process ended by SIGPIPE.
 */
export const exitCodes = { ok: 0, failure: 1, usage: 2, SIGHUP: 129, SIGINT: 130, SIGPIPE: 141, SIGTERM: 143 } as const;
