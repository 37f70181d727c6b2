import { readdir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import type { Issue } from '../errors.js';

const manifestExtensions = new Set(['.yaml', '.yml']);

/**
 * Expands the paths a user named into manifest files: a file as is, a
 * directory as all its `*.yaml`/`*.yml` files (not recursive) in name order.
 * A path that does not exist is an issue, not an exception, so it is reported
 * with every other problem.
 */
export async function collectManifestFiles(paths: readonly string[], cwd: string): Promise<{ files: string[]; issues: Issue[] }> {
  const files: string[] = [];
  const issues: Issue[] = [];
  const seen = new Set<string>();
  const add = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    files.push(file);
  };
  if (paths.length === 0) {
    issues.push({ code: 'file.none', message: 'no manifest given: name a file or a directory of *.yaml files' });
  }
  for (const path of paths) {
    const absolute = resolve(cwd, path);
    const info = await stat(absolute).catch(() => undefined);
    if (!info) {
      issues.push({ code: 'file.not_found', message: `no such file or directory: ${path}`, file: absolute });
    } else if (info.isDirectory()) {
      const names = (await readdir(absolute)).filter((name) => manifestExtensions.has(extname(name))).sort();
      if (names.length === 0) {
        issues.push({ code: 'file.none', message: `no *.yaml or *.yml files in directory ${path}`, file: absolute });
      }
      for (const name of names) add(join(absolute, name));
    } else {
      add(absolute);
    }
  }
  return { files, issues };
}
