import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { Issue } from '../errors.js';
import { credentialVariables, findForbiddenInterpolation } from './interpolation-policy.js';
import { joinPointer, locateValue, splitPointer, type PathSegment } from './locate-node.js';
import { formatBytes, readBoundedFile } from './read-bounded-file.js';
import type { SourceFile } from './source-file.js';

/** The default cap on one `${file:}`: a secret or an id, never a data set. */
export const defaultMaxInterpolatedFileBytes = 1024 * 1024;

export interface InterpolationContext {
  env: NodeJS.ProcessEnv;
  /**
   * Folders a `${file:}` may read besides the manifest file's own folder tree
   * (absolute). Anything else (`/etc/passwd`, `../../..`, a symlink leading
   * out) is refused: a manifest from a pull request must not read the CI
   * runner's files into fields sent to Paxos.
   */
  fileRoots?: readonly string[];
  /** Largest `${file:}` read, in bytes; default 1 MiB. */
  maxFileBytes?: number;
  /** Collects every value substituted, so what is printed can be checked against them. */
  substituted?: Set<string>;
  /**
   * `validate --offline`: an unset `${env:NAME}` stands for a value that is
   * present and well formed (`offlinePlaceholder`), so a pull request's CI
   * checks everything else without the PII secrets. Set variables are used.
   */
  offline?: boolean;
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
  const files = createFileAccess(baseDir, context);
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
    const forbidden = findForbiddenInterpolation(path);
    let refused = false;
    const result = text.replace(placeholder, (match, body: string | undefined) => {
      if (body === undefined) return '${';
      if (forbidden) {
        // Nothing is resolved here: the value is never read, so it cannot be printed.
        failed = true;
        if (!refused) issues.push({ ...notAllowedIssue(forbidden, match), file: file.path, ...locateValue(file, path) });
        refused = true;
        return match;
      }
      const resolved = resolvePlaceholder(body, files, context, path[path.length - 1]);
      if (resolved.ok) {
        sensitive = true;
        context.substituted?.add(resolved.value);
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
          // An alias can carry an interpolated value into a field that must be literal.
          const at = splitPointer(prefix + relative);
          const forbidden = findForbiddenInterpolation(at);
          if (forbidden) {
            issues.push({ ...notAllowedIssue(forbidden, `*alias`), file: file.path, ...locateValue(file, at) });
            file.unresolved.add(prefix + relative);
          }
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

function notAllowedIssue(forbidden: { field: string; why: string; hint: string }, written: string): Omit<Issue, 'file' | 'line' | 'col'> {
  return {
    code: 'interpolation.not_allowed',
    message: `\`${written}\` cannot be used in \`${forbidden.field}\`: ${forbidden.why}`,
    hint: forbidden.hint,
  };
}

function resolvePlaceholder(body: string, files: FileAccess, context: InterpolationContext, field: PathSegment | undefined): Resolution {
  const colon = body.indexOf(':');
  const scheme = colon < 0 ? '' : body.slice(0, colon);
  const argument = colon < 0 ? '' : body.slice(colon + 1).trim();
  if (scheme === 'env' && argument) {
    if (credentialVariables.has(argument)) {
      return {
        ok: false,
        issue: {
          code: 'interpolation.credential',
          message: `\`${argument}\` is this tool's own credential and cannot be interpolated into a manifest`,
          hint: 'the client id and secret are read from the environment by the tool itself; reference your own variable for data fields',
        },
      };
    }
    const value = context.env[argument];
    if (value !== undefined) return { ok: true, value };
    if (context.offline === true) return { ok: true, value: offlinePlaceholder(argument, typeof field === 'string' ? field : '') };
    return {
      ok: false,
      issue: {
        code: 'interpolation.env_unset',
        message: `environment variable \`${argument}\` is not set`,
        hint: `export ${argument}=... before running, or write the value in the manifest`,
      },
    };
  }
  if (scheme === 'file' && argument) return files.read(argument);
  return {
    ok: false,
    issue: {
      code: 'interpolation.unknown',
      message: `\`\${${body}}\` is not an interpolation this tool knows`,
      hint: /^(index|each)\b/.test(body)
        ? `\${${body}} is known only inside a generator (an entry with count or for_each; see docs/generators.md)`
        : 'write ${env:NAME} or ${file:path}; write $${ for a literal ${',
    },
  };
}

/**
 * What an unset variable stands for offline: a value of the field's format
 * (a date for a date, a country code for a country, a date-time for a
 * `*_at`), else nine digits drawn from the variable's name, which fit every
 * id pattern of the schema (SSN, EIN, tax ids) and differ between variables,
 * so the uniqueness of cip ids across the file set is still checked.
 */
export function offlinePlaceholder(variable: string, field: string): string {
  if (field === 'date_of_birth' || field.endsWith('_date') || field === 'date') return '1970-01-01';
  if (field.endsWith('_at')) return '1970-01-01T00:00:00Z';
  if (field === 'nationality' || field.endsWith('country')) return 'USA';
  if (field === 'email' || field.endsWith('_email')) return 'offline@example.com';
  let hash = 2166136261;
  for (const char of variable) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  return String(100_000_000 + (hash % 900_000_000));
}

interface FileAccess {
  read(argument: string): Resolution;
}

/**
 * `${file:}` for one manifest file: paths resolve against its folder, and the
 * real path (symlinks followed) must lie inside that folder or one of the
 * allowed roots. Roots are resolved once per manifest file.
 */
function createFileAccess(baseDir: string, context: InterpolationContext): FileAccess {
  const maxBytes = context.maxFileBytes ?? defaultMaxInterpolatedFileBytes;
  let roots: string[] | undefined;
  const realRoots = (): string[] =>
    (roots ??= [baseDir, ...(context.fileRoots ?? [])].flatMap((root) => {
      try {
        return [realpathSync(root)];
      } catch {
        return [];
      }
    }));
  const fail = (code: string, message: string, hint: string): Resolution => ({ ok: false, issue: { code, message, hint } });
  return {
    read(argument) {
      const target = resolve(baseDir, argument);
      let real: string;
      try {
        real = realpathSync(target);
      } catch {
        return fail('interpolation.file_missing', `file \`${argument}\` cannot be read`, 'a ${file:path} is relative to the directory of the manifest file that names it');
      }
      if (!realRoots().some((root) => isInside(real, root))) {
        return fail(
          'interpolation.file_outside',
          `file \`${argument}\` is outside the manifest's folder${real !== target ? ' (after following symlinks)' : ''}, so it is not read`,
          `move the file under ${baseDir}, or allow its folder explicitly (--allow-file-root <dir>, or the allowFileRoots option)`,
        );
      }
      const read = readBoundedFile(real, maxBytes);
      if (read.ok) {
        // Secrets files usually end with a newline that is not part of the secret.
        return { ok: true, value: read.text.replace(/\r?\n$/, '') };
      }
      if (read.reason === 'not_regular') {
        return fail('interpolation.file_not_regular', `file \`${argument}\` is ${read.type}, not a regular file, so it is not read`, 'a ${file:} reads a regular file holding one value; write the value to a file');
      }
      if (read.reason === 'too_large') {
        return fail(
          'interpolation.file_too_large',
          `file \`${argument}\` is ${formatBytes(read.size)}, over the ${formatBytes(maxBytes)} limit for a \${file:}`,
          'a ${file:} holds one value (a secret, an id); point it at a file holding just that value',
        );
      }
      return fail('interpolation.file_missing', `file \`${argument}\` cannot be read (${read.errno})`, 'a ${file:path} is relative to the directory of the manifest file that names it');
    },
  };
}

function isInside(path: string, root: string): boolean {
  const within = relative(root, path);
  return within === '' || (!within.startsWith(`..${sep}`) && within !== '..' && !isAbsolute(within));
}
