import type { Issue } from '../../errors.js';
import type { DocumentSet } from '../document-set.js';
import { kindSpecs } from '../kinds.js';

/** Refuses sandbox-only resources (test deposits) in a manifest for `environment: production`. */
export function checkSandboxOnlyResources(set: DocumentSet, issues: Issue[]): void {
  if (set.environment !== 'production') return;
  for (const resource of set.resources.values()) {
    if (!kindSpecs[resource.kind].sandboxOnly) continue;
    issues.push({
      code: `${resource.kind}.production`,
      message: `\`${resource.address}\` is sandbox-only test funding, which \`environment: production\` refuses`,
      hint: 'remove it, or target `environment: sandbox` or `local`',
      file: resource.file.path,
      ...resource.position,
    });
  }
}
