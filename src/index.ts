/**
 * The library entry: what tests and scripts use to seed what they need.
 */
export * from './errors.js';
export {
  loadManifest,
  validateManifest,
  validateManifest as validate,
  type ManifestLoadOptions,
  type ManifestValidation,
} from './manifest/validate-manifest.js';
export type { InlineManifestObject, InlineManifestYaml, ManifestInput } from './manifest/manifest-input.js';
export { isolateModel, resolveIsolation, type IsolateOption, type Isolation } from './manifest/isolate-model.js';
export type { Address, Model, Resource, ResourceFieldsByKind, ResourceKind, ResourceOf, ResourceReference, SourceLocation } from './manifest/model.js';
export type { Environment, ManifestOptions } from './manifest/options.js';
export type {
  AccountSpec,
  DepositSpec,
  InstitutionMemberSpec,
  InstitutionSpec,
  ManifestDocument,
  OrderSpec,
  PersonSpec,
  ProfileSpec,
} from './manifest/types.js';
export { ruleCatalog, ruleCodes, type RuleCode, type RuleDescription } from './manifest/rule-catalog.js';
export { buildManifestSchema, manifestSchemaId } from './manifest/schema/build-manifest-schema.js';
export {
  buildGraph,
  findCycles,
  renderDot,
  renderMermaid,
  topologicalOrder,
  type DependencyGraph,
  type GraphNode,
} from './graph/index.js';
export { startEmulator, type RunningEmulator } from './emulator/start-emulator.js';
export type { EmulatorOptions, FaultSpec, WebhookRetryOptions } from './emulator/emulator-options.js';
export { rateClassOf, rateClasses, type RateClass } from './domain/rate-classes.js';
export { makePlan, type MakePlanOptions } from './plan/make-plan.js';
export { buildPlan, type PlanMeta } from './plan/build-plan.js';
export { refreshRemote, type RefreshOptions, type RefreshResult } from './plan/refresh.js';
export { checkTarget } from './plan/check-target.js';
export { manifestDigest } from './plan/manifest-digest.js';
export { isSensitivePath, maskSensitiveParts, maskValue } from './plan/mask.js';
export { planActions, type FieldChange, type Plan, type PlanAction, type PlanStep, type PlanSummary, type RemoteFingerprint } from './plan/plan-types.js';
export { handlerFor } from './resources/index.js';
export type { Applied, ApplyContext, PlanContext, RefreshContext, RemoteObject, RemoteWorld, ResourceHandler, StepDraft } from './resources/resource-handler.js';
export type { ClientStats, PaxosClient, PaxosRequest, RetryPolicy, Target } from './paxos/types.js';
export { createPaxosClient } from './paxos/create-paxos-client.js';
export { openPaxosClient, type OpenPaxosClientOptions } from './targets/open-target.js';
export { resolveTarget, type ResolveTargetOptions, type ResolvedTarget } from './paxos/resolve-target.js';
export { formatRequestLogLine, type RequestLogEntry } from './paxos/request-log.js';
export type { PaxosClientOptions, PaxosCredentials } from './paxos/client-options.js';
export type { RetryOptions } from './paxos/retry-timing.js';
export type { Clock } from './paxos/clock.js';
export { readScopes, runScopes, type HttpMethod, type ListOptions, type QueryValue } from './paxos/types.js';
export { planManifest as plan, type PlanManifestOptions } from './plan/plan-manifest.js';
export { importWorld, type ImportResult, type ImportWorldOptions, type SensitiveValue } from './import/import-world.js';
export { renderPlanText, type TextRenderOptions } from './plan/render-text.js';
export { renderPlanJson } from './plan/render-json.js';
export { renderPlanMarkdown, type MarkdownRenderOptions } from './plan/render-markdown.js';
export { isPlanFileError, loadPlan, PlanFileError, savePlan, type PlanFileProblem } from './plan/plan-file.js';
export { applyManifest as apply } from './apply/apply-manifest.js';
export { destroyManifest as destroy, type DestroyManifestOptions, type DestroyResult } from './apply/destroy-manifest.js';
export type { TeardownOutcome, TeardownResult } from './apply/execute-teardown.js';
export { buildTeardownPlan, type TeardownAction, type TeardownPlan, type TeardownStep } from './plan/teardown-plan.js';
export { defaultConcurrency, type ApplyManifestOptions } from './apply/apply-options.js';
export type { ApplyEvent, ApplyEventListener, ApplyFailure, ApplyOutcome, ApplyOutputs, ApplyPhase, ApplyResult, ApplySummary, ResourceOutput } from './apply/apply-types.js';
export type { Settled } from './resources/resource-handler.js';
