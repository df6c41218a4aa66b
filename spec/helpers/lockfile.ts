import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './processes';

interface LockEntry {
  readonly version?: string;
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  readonly [field: string]: unknown;
}

/** What a packed package's package.json says about itself (the fields a lockfile entry needs). */
export interface PackedManifest {
  readonly name: string;
  readonly version: string;
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  readonly bin?: Record<string, string>;
  readonly engines?: Record<string, string>;
  readonly license?: string;
}

const projectLock = (): { packages: Record<string, LockEntry> } => JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));

/**
 * A package-lock.json for a fresh project that depends on a packed tarball (`file:` spec) and on
 * `peers`, at the versions this project's lockfile has: the packed package's dependencies and
 * everything they need, found in the project's lockfile the way Node resolves them. With it,
 * `npm install --offline` installs from the npm cache `npm ci` filled: npm 11 otherwise resolves
 * new names with full packuments, which `npm ci` never caches. A dependency the tarball declares
 * that this project never installed makes it throw.
 */
export function lockfileFor(tarballSpec: string, packed: PackedManifest, peers: readonly string[]): { manifest: object; lock: object } {
  const lock = projectLock();
  const found = (from: string, name: string): string | undefined => {
    for (let dir = from; ; ) {
      const path = `${dir === '' ? '' : `${dir}/`}node_modules/${name}`;
      if (lock.packages[path] !== undefined) return path;
      if (dir === '') return undefined;
      const parent = dir.lastIndexOf('/node_modules/');
      dir = parent < 0 ? '' : dir.slice(0, parent);
    }
  };
  const versions = Object.fromEntries(peers.map((name) => [name, lock.packages[`node_modules/${name}`]?.version ?? '']));
  const dependencies = { [packed.name]: tarballSpec, ...versions };
  const { name, version, dependencies: own } = packed;
  const entry: Record<string, unknown> = { version, resolved: tarballSpec };
  for (const field of ['dependencies', 'peerDependencies', 'peerDependenciesMeta', 'bin', 'engines', 'license'] as const) if (packed[field] !== undefined) entry[field] = packed[field];
  const packages: Record<string, LockEntry> = { '': { name: 'app', dependencies }, [`node_modules/${name}`]: entry as LockEntry };
  const queue: string[] = [];
  const add = (from: string, edges: Record<string, string> | undefined, optional: (name: string) => boolean): void => {
    for (const dependency of Object.keys(edges ?? {})) {
      const path = found(from, dependency);
      if (path === undefined) {
        if (optional(dependency)) continue;
        throw new Error(`${dependency}, needed by ${from === '' ? 'the project' : from}, is not in package-lock.json: add it to package.json.`);
      }
      if (packages[path] !== undefined) continue;
      // Whether a package was a dev dependency here says nothing about the new project.
      const { dev: _dev, devOptional: _devOptional, peer: _peer, ...copied } = lock.packages[path] as LockEntry;
      packages[path] = copied;
      queue.push(path);
    }
  };
  add('', versions, () => false);
  add(`node_modules/${name}`, own, () => false);
  for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
    const entry = lock.packages[path] as LockEntry;
    add(path, entry.dependencies, () => false);
    add(path, entry.optionalDependencies, () => true);
    add(path, entry.peerDependencies, (peer) => entry.peerDependenciesMeta?.[peer]?.optional === true);
  }
  return { manifest: { name: 'app', private: true, dependencies }, lock: { name: 'app', lockfileVersion: 3, requires: true, packages } };
}
