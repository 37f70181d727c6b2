import { readdir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import type { Issue } from '../errors.js';
import { describeFileType } from './read-bounded-file.js';

const manifestExtensions = new Set(['.yaml', '.yml']);

/**
 * Expands the paths a user named into manifest files: a file as is, a
 * directory as all its `*.yaml`/`*.yml` files (not recursive) in name order.
 * Only regular files are taken: a FIFO, socket or device named directly is
 * an error, and one in a folder is skipped with a warning, both decided by
 * `stat` without opening it.
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
      let added = 0;
      for (const name of names) {
        const file = join(absolute, name);
        // stat, never open: opening a FIFO for reading blocks until a writer comes.
        const entry = await stat(file).catch(() => undefined);
        if (entry && !entry.isFile()) {
          issues.push({
            code: 'file.skipped',
            severity: 'warning',
            message: `skipped ${join(path, name)}: it is ${describeFileType(entry)}, not a regular file`,
            hint: 'a manifest folder holds regular *.yaml files; remove or rename this one',
            file,
          });
          continue;
        }
        add(file);
        added += 1;
      }
      if (added === 0) {
        issues.push({ code: 'file.none', message: `no *.yaml or *.yml files in directory ${path}`, file: absolute });
      }
    } else if (!info.isFile()) {
      issues.push({
        code: 'file.not_regular',
        message: `${path} is ${describeFileType(info)}, not a regular file, so it is not read`,
        hint: 'name a manifest file or a folder of them; to pass generated YAML, write it to a file first',
        file: absolute,
      });
    } else {
      add(absolute);
    }
  }
  return { files, issues };
}
