import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Issue } from '../errors.js';
import { joinPointer, locateValue, type PathSegment } from './locate-node.js';
import type { SourceFile } from './source-file.js';

export interface InterpolationContext {
  env: NodeJS.ProcessEnv;
}

// `$${` is an escaped literal `${`; otherwise `${scheme:argument}`.
const placeholder = /\$\$\{|\$\{([^}]*)\}/g;

/**
 * Replaces `${env:NAME}` and `${file:path}` in every scalar string of the
 * file's data, in place, and records each replaced scalar as sensitive: a
 * value from the environment or a file is a secret or PII by definition, so
 * issues name the variable or file, never what it held. A scalar whose
 * placeholder cannot be resolved keeps it, and is recorded as unresolved.
 */
export function interpolateSourceFile(file: SourceFile, context: InterpolationContext): Issue[] {
  const issues: Issue[] = [];
  const baseDir = dirname(file.path);
  const path: PathSegment[] = [];
  // A YAML alias yields one object at two paths: what its first visit marked
  // sensitive must be marked under the second too. Pointers are built only
  // for the scalars that are replaced, never per object: data without
  // aliases (the usual case) needs no bookkeeping at all.
  const firstVisits = file.sharesValues ? new WeakMap<object, string[]>() : undefined;
  const added: string[] = [];

  const interpolateString = (text: string): string => {
    let sensitive = false;
    let failed = false;
    const result = text.replace(placeholder, (match, body: string | undefined) => {
      if (body === undefined) return '${';
      const resolved = resolvePlaceholder(body, baseDir, context);
      if (resolved.ok) {
        sensitive = true;
        return resolved.value;
      }
      failed = true;
      issues.push({ ...resolved.issue, file: file.path, ...locateValue(file, path) });
      return match;
    });
    if (sensitive || failed) {
      const pointer = joinPointer(path);
      if (sensitive) {
        file.sensitive.add(pointer);
        added.push(pointer);
      }
      if (failed) file.unresolved.add(pointer);
    }
    return result;
  };

  const visitObject = (value: object): void => {
    if (firstVisits) {
      const marked = firstVisits.get(value);
      if (marked) {
        const prefix = joinPointer(path);
        for (const relative of marked) {
          file.sensitive.add(prefix + relative);
          added.push(prefix + relative);
        }
        return;
      }
    }
    const start = added.length;
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) value[index] = visit(value[index], index);
    } else {
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        const child = record[key];
        const replaced = visit(child, key);
        if (replaced !== child) record[key] = replaced;
      }
    }
    if (firstVisits) {
      const prefixLength = added.length > start ? joinPointer(path).length : 0;
      firstVisits.set(value, added.slice(start).map((pointer) => pointer.slice(prefixLength)));
    }
  };

  const visit = (value: unknown, segment: PathSegment): unknown => {
    if (typeof value === 'string') {
      if (!value.includes('${')) return value;
      path.push(segment);
      const result = interpolateString(value);
      path.pop();
      return result;
    }
    if (value === null || typeof value !== 'object') return value;
    path.push(segment);
    visitObject(value);
    path.pop();
    return value;
  };

  if (typeof file.data === 'string') file.data = file.data.includes('${') ? interpolateString(file.data) : file.data;
  else if (file.data !== null && typeof file.data === 'object') visitObject(file.data);
  return issues;
}

type Resolution = { ok: true; value: string } | { ok: false; issue: Omit<Issue, 'file' | 'line' | 'col'> };

function resolvePlaceholder(body: string, baseDir: string, context: InterpolationContext): Resolution {
  const colon = body.indexOf(':');
  const scheme = colon < 0 ? '' : body.slice(0, colon);
  const argument = colon < 0 ? '' : body.slice(colon + 1).trim();
  if (scheme === 'env' && argument) {
    const value = context.env[argument];
    if (value !== undefined) return { ok: true, value };
    return {
      ok: false,
      issue: {
        code: 'interpolation.env_unset',
        message: `environment variable \`${argument}\` is not set`,
        hint: `export ${argument}=... before running, or write the value in the manifest`,
      },
    };
  }
  if (scheme === 'file' && argument) {
    try {
      // Secrets files usually end with a newline that is not part of the secret.
      return { ok: true, value: readFileSync(resolve(baseDir, argument), 'utf8').replace(/\r?\n$/, '') };
    } catch {
      return {
        ok: false,
        issue: {
          code: 'interpolation.file_missing',
          message: `file \`${argument}\` cannot be read`,
          hint: 'a ${file:path} is relative to the directory of the manifest file that names it',
        },
      };
    }
  }
  return {
    ok: false,
    issue: {
      code: 'interpolation.unknown',
      message: `\`\${${body}}\` is not an interpolation this tool knows`,
      hint: 'write ${env:NAME} or ${file:path}; write $${ for a literal ${',
    },
  };
}
