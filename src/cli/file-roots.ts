/**
 * `--allow-file-root <dir>`: folders besides the manifest's own that
 * `\${file:}` may read (a hostile manifest reads nothing else).
 */
export const allowFileRootOption = {
  type: 'string',
  array: true,
  describe: 'a folder besides the manifest\'s own that ${file:} may read (repeatable)',
} as const;

/** The option's value as the library takes it, or nothing when not given. */
export function allowFileRootsOf(args: { 'allow-file-root'?: string[] }): { allowFileRoots?: readonly string[] } {
  const roots = args['allow-file-root'];
  return roots !== undefined && roots.length > 0 ? { allowFileRoots: roots } : {};
}
