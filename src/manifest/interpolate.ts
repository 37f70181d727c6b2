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
 * issues name the variable or file, never what it held.
 */
export function interpolateSourceFile(file: SourceFile, context: InterpolationContext): Issue[] {
  const issues: Issue[] = [];
  const baseDir = dirname(file.path);
  // A YAML alias yields the same object twice: its second path must be marked sensitive too.
  const sensitiveWithin = new WeakMap<object, string[]>();
  const added: string[] = [];
  const visit = (value: unknown, path: PathSegment[]): unknown => {
    if (typeof value === 'string') {
      return value.includes('${') ? interpolateString(value, path) : value;
    }
    if (value === null || typeof value !== 'object') return value;
    const prefix = joinPointer(path);
    const seen = sensitiveWithin.get(value);
    if (seen) {
      for (const relative of seen) markSensitive(prefix + relative);
      return value;
    }
    const start = added.length;
    visitChildren(value, path);
    sensitiveWithin.set(value, added.slice(start).map((pointer) => pointer.slice(prefix.length)));
    return value;
  };
  const markSensitive = (pointer: string): void => {
    file.sensitive.add(pointer);
    added.push(pointer);
  };
  const visitChildren = (value: object, path: PathSegment[]): void => {
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) {
        path.push(index);
        value[index] = visit(value[index], path);
        path.pop();
      }
    } else {
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        path.push(key);
        record[key] = visit(record[key], path);
        path.pop();
      }
    }
  };

  const interpolateString = (text: string, path: PathSegment[]): string => {
    let sensitive = false;
    const result = text.replace(placeholder, (match, body: string | undefined) => {
      if (body === undefined) return '${';
      const resolved = resolvePlaceholder(body, baseDir, context);
      if (resolved.ok) {
        sensitive = true;
        return resolved.value;
      }
      issues.push({ ...resolved.issue, file: file.path, ...locateValue(file, path) });
      return match;
    });
    if (sensitive) markSensitive(joinPointer(path));
    return result;
  };

  file.data = visit(file.data, []);
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
