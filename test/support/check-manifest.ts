import { validateManifest, type ManifestValidation } from '../../src/manifest/validate-manifest.js';
import { renderIssuesRelative, writeTempManifests, type TempManifestDir } from './temp-manifest.js';
import { tinyManifestSchema, tinyRuleCatalog } from './tiny-manifest-schema.js';

export interface ManifestCheck extends ManifestValidation {
  /** The issues as the CLI prints them, paths relative to the temp dir. */
  text: string;
  dir: TempManifestDir;
}

/**
 * Writes the files to a temp dir, validates the whole dir and renders the
 * issues. `schema: 'tiny'` uses the small stand-in schema, for checks that do
 * not depend on the published one. The caller removes `dir`.
 */
export async function checkManifests(
  files: Record<string, string>,
  options: { env?: NodeJS.ProcessEnv; schema?: 'tiny' | 'published'; paths?: string[] } = {},
): Promise<ManifestCheck> {
  const dir = await writeTempManifests(files);
  const tiny = (options.schema ?? 'tiny') === 'tiny';
  const result = await validateManifest(options.paths ?? ['.'], {
    cwd: dir.dir,
    env: options.env ?? {},
    ...(tiny ? { schema: tinyManifestSchema, catalog: tinyRuleCatalog } : {}),
  });
  return { ...result, text: renderIssuesRelative(result.issues, dir.dir), dir };
}
