/**
 * Manifests that are not files: what a test or a script builds in memory.
 * Each becomes a virtual file (`<inline-1>.yaml` in the working directory)
 * and then goes through exactly the pipeline a file does: parse, interpolate,
 * schema, rules, with positions pointing into its YAML.
 */
import { resolve } from 'node:path';
import { stringify } from 'yaml';

/** A manifest object (as YAML would parse into), optionally named for messages. */
export interface InlineManifestObject {
  manifest: Readonly<Record<string, unknown>>;
  /** The name issues give it (default `<inline-N>.yaml`). */
  name?: string;
}

/** A manifest as YAML text, optionally named for messages. */
export interface InlineManifestYaml {
  yaml: string;
  /** The name issues give it (default `<inline-N>.yaml`). */
  name?: string;
}

/**
 * One manifest input: a path (a file or a folder of `*.yaml`), a manifest
 * object, or YAML text.
 */
export type ManifestInput = string | InlineManifestObject | InlineManifestYaml;

/** A manifest input held in memory, ready for the parser. */
export interface VirtualManifestFile {
  /** Absolute: the working directory plus the name, so `${file:}` is relative to the working directory. */
  path: string;
  name: string;
  text: string;
}

export function isInlineManifest(input: ManifestInput): input is InlineManifestObject | InlineManifestYaml {
  return typeof input === 'object' && input !== null;
}

/** The inputs split into paths (for the file collector) and virtual files, numbered in the order given. */
export function splitManifestInputs(inputs: readonly ManifestInput[], cwd: string): { paths: string[]; virtual: VirtualManifestFile[] } {
  const paths: string[] = [];
  const virtual: VirtualManifestFile[] = [];
  for (const input of inputs) {
    if (!isInlineManifest(input)) {
      paths.push(input);
      continue;
    }
    const name = input.name ?? `<inline-${virtual.length + 1}>.yaml`;
    const text = 'yaml' in input ? String(input.yaml) : manifestObjectToYaml(input.manifest);
    virtual.push({ path: resolve(cwd, name), name, text });
  }
  return { paths, virtual };
}

/**
 * YAML text for a manifest object. Dates become what a manifest writes: a
 * date at midnight UTC as `YYYY-MM-DD` (date_of_birth), any other as an ISO
 * timestamp; `undefined` fields are left out, as JSON would.
 */
export function manifestObjectToYaml(manifest: Readonly<Record<string, unknown>>): string {
  return stringify(plainValue(manifest), { lineWidth: 0 });
}

function plainValue(value: unknown): unknown {
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (Array.isArray(value)) return value.map(plainValue);
  if (typeof value === 'object' && value !== null) {
    const result: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) {
      if (entry !== undefined) result[key] = plainValue(entry);
    }
    return result;
  }
  return value;
}

/** A short description of the inputs for messages: paths as given, inline ones by name. */
export function describeManifestInputs(inputs: readonly ManifestInput[]): string {
  let inline = 0;
  return inputs.map((input) => (isInlineManifest(input) ? (input.name ?? `<inline-${++inline}>.yaml`) : input)).join(', ');
}
