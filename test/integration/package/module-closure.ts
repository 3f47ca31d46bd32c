/**
 * Proves a packaged app's code is complete: follows every import of the bundled entry points (relative
 * files, then the packages they name, then those packages' own dependencies) and reports each one that
 * does not resolve to a file inside the package. Resolution stops at the package's root on purpose: the
 * repository's node_modules must not hide a missing module, as it would for Node's own resolver.
 */
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** Where the code lives: a folder on disk, or an asar archive read through @electron/asar. */
export interface CodeTree {
  /** Absolute path the tree's paths are relative to. */
  root: string;
  exists(path: string): boolean;
  read(path: string): string;
}

export interface Closure {
  /** Bundle files reached (relative to their tree's root). */
  files: string[];
  /** Packages reached, as folders relative to the package root (node_modules/…). */
  packages: string[];
  /** What is missing and who needs it. */
  missing: string[];
}

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Static and dynamic import specifiers, and require() calls, of a bundled ES module. */
export function specifiers(code: string): string[] {
  const found = new Set<string>();
  const patterns = [
    /^\s*import\s+(?:[\w$*{}\s,]+?\s+from\s+)?["']([^"']+)["']/gm,
    /^\s*export\s+[\w$*{}\s,]*?\s+from\s+["']([^"']+)["']/gm,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /(?<![.\w$])(?:__require|require)\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const pattern of patterns) for (const m of code.matchAll(pattern)) found.add(m[1]!);
  return [...found];
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/**
 * Follows `entries` (paths inside `code`). Bare imports are looked up in node_modules folders from the
 * importing file's folder up to `packageRoot` (the unpacked tree: resources/app.asar.unpacked), as Node
 * does, then each package's dependencies (and the optional ones this machine has installed, such as
 * sharp's platform binaries) the same way. `allowed` names modules provided by the runtime (electron).
 */
export function moduleClosure(options: {
  code: CodeTree;
  entries: string[];
  packageRoot: string;
  allowed?: string[];
  /** Whether an optional dependency is expected (default: installed in this repository). */
  optionalExpected: (name: string) => boolean;
  fileExists: (path: string) => boolean;
  readJson: (path: string) => { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
}): Closure {
  const { code, packageRoot, fileExists, readJson } = options;
  const allowed = new Set(options.allowed ?? []);
  const files = new Set<string>();
  const packages = new Set<string>();
  const missing: string[] = [];

  const findPackage = (fromDir: string, name: string): string | null => {
    for (let dir = fromDir; ; dir = dirname(dir)) {
      const candidate = join(dir, 'node_modules', name);
      if (fileExists(join(candidate, 'package.json'))) return candidate;
      if (dir === packageRoot || !dir.startsWith(packageRoot + sep) || dirname(dir) === dir) return null;
    }
  };

  const visitPackage = (dir: string): void => {
    const key = relative(packageRoot, dir);
    if (packages.has(key)) return;
    packages.add(key);
    const pkg = readJson(join(dir, 'package.json'));
    const deps = Object.keys(pkg.dependencies ?? {});
    const optional = Object.keys(pkg.optionalDependencies ?? {}).filter(options.optionalExpected);
    for (const name of [...deps, ...optional]) {
      const found = findPackage(dir, name);
      if (found) visitPackage(found);
      else missing.push(`${name} (a dependency of ${key})`);
    }
  };

  const visitFile = (path: string): void => {
    if (files.has(path)) return;
    files.add(path);
    const abs = resolve(code.root, path);
    for (const spec of specifiers(code.read(path))) {
      if (BUILTINS.has(spec) || allowed.has(spec)) continue;
      if (spec.startsWith('.')) {
        const target = relative(code.root, resolve(dirname(abs), spec));
        if (code.exists(target)) visitFile(target);
        else missing.push(`${spec} (imported by ${path})`);
        continue;
      }
      // Bundles resolve packages from their unpacked twin: the same relative folder under packageRoot.
      const found = findPackage(dirname(join(packageRoot, path)), packageName(spec));
      if (found) visitPackage(found);
      else missing.push(`${spec} (imported by ${path})`);
    }
  };

  for (const entry of options.entries) {
    if (code.exists(entry)) visitFile(entry);
    else missing.push(`${entry} (entry point)`);
  }
  return { files: [...files].sort(), packages: [...packages].sort(), missing };
}
