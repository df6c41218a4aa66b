// Injected by tsup from package.json at build time, so the CLI never reads files to learn it.
declare const __FN_DISTIL_VERSION__: string | undefined;

export const version: string = typeof __FN_DISTIL_VERSION__ === 'string' ? __FN_DISTIL_VERSION__ : '0.0.0-dev';
