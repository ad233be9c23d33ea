import { z } from 'zod';

/**
 * A plan: a goal and steps, each step naming the steps it needs first. The same schema checks
 * what the model submits and what a person sends back after editing, so both kinds of mistake
 * get the same clear message.
 */
export const PLAN_LIMITS = { steps: 20, idChars: 40, titleChars: 300, detailChars: 4_000, goalChars: 2_000, files: 30 } as const;

export const PlanStepSchema = z.object({
  id: z.string().trim().min(1).max(PLAN_LIMITS.idChars),
  title: z.string().trim().min(1).max(PLAN_LIMITS.titleChars),
  detail: z.string().max(PLAN_LIMITS.detailChars).optional(),
  files: z.array(z.string().min(1).max(1_000)).max(PLAN_LIMITS.files).optional(),
  dependsOn: z.array(z.string().trim().min(1).max(PLAN_LIMITS.idChars)).max(PLAN_LIMITS.steps).optional(),
  /** The step only looks (reads, searches) and changes nothing: it gets read tools only, and may run beside other such steps. */
  readOnly: z.boolean().optional(),
});

export const PlanSchema = z
  .object({
    goal: z.string().trim().min(1).max(PLAN_LIMITS.goalChars),
    steps: z.array(PlanStepSchema).min(1).max(PLAN_LIMITS.steps),
  })
  .superRefine((plan, ctx) => {
    for (const problem of planProblems(plan)) ctx.addIssue({ code: 'custom', message: problem.message, path: problem.path });
  });

export type PlanStep = z.infer<typeof PlanStepSchema>;
export type Plan = z.infer<typeof PlanSchema>;

interface Problem {
  readonly message: string;
  readonly path: (string | number)[];
}

/** Duplicate ids, dependencies on ids the plan does not have, and cycles, each said once. */
export function planProblems(plan: { readonly steps: readonly PlanStep[] }): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  plan.steps.forEach((step, index) => {
    if (seen.has(step.id)) problems.push({ message: `step id "${step.id}" is used twice; ids must be unique`, path: ['steps', index, 'id'] });
    seen.add(step.id);
  });
  plan.steps.forEach((step, index) => {
    for (const dep of step.dependsOn ?? []) {
      if (!seen.has(dep)) {
        problems.push({ message: `step "${step.id}" depends on "${dep}", which is not a step of this plan (steps: ${[...seen].join(', ')})`, path: ['steps', index, 'dependsOn'] });
      } else if (dep === step.id) {
        problems.push({ message: `step "${step.id}" depends on itself`, path: ['steps', index, 'dependsOn'] });
      }
    }
  });
  if (problems.length > 0) return problems;
  const cycle = findCycle(plan.steps);
  if (cycle) problems.push({ message: `the steps depend on each other in a cycle: ${cycle.join(' → ')}; no step of a cycle could ever start`, path: ['steps'] });
  return problems;
}

function findCycle(steps: readonly PlanStep[]): string[] | undefined {
  const deps = new Map(steps.map((s) => [s.id, s.dependsOn ?? []]));
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'visiting');
    path.push(id);
    for (const dep of deps.get(id) ?? []) {
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const step of steps) {
    const cycle = visit(step.id);
    if (cycle) return cycle;
  }
  return undefined;
}

/** Parses a plan from anywhere untrusted; the error names each problem by its place. */
export function parsePlan(raw: unknown): { ok: true; plan: Plan } | { ok: false; error: string } {
  const parsed = PlanSchema.safeParse(raw);
  if (parsed.success) return { ok: true, plan: parsed.data };
  return { ok: false, error: parsed.error.issues.map((i) => `${i.path.join('.') || '(plan)'}: ${i.message}`).join('; ') };
}

/** The plan as the model and the CLI read it: one numbered line per step. */
export function formatPlan(plan: Plan): string {
  const lines = [`Goal: ${plan.goal}`];
  plan.steps.forEach((step, index) => {
    const deps = step.dependsOn?.length ? ` (after ${step.dependsOn.join(', ')})` : '';
    lines.push(`${index + 1}. [${step.id}] ${step.title}${deps}${step.readOnly ? ' (read-only)' : ''}`);
    if (step.detail) lines.push(`   ${step.detail.replace(/\n/g, '\n   ')}`);
    if (step.files?.length) lines.push(`   files: ${step.files.join(', ')}`);
  });
  return lines.join('\n');
}

/** What changed from one plan to the next, step by step (by id), for a person deciding again. */
export interface PlanDiffLine {
  readonly kind: 'same' | 'added' | 'removed' | 'changed';
  readonly id: string;
  readonly title: string;
  readonly before?: string;
}

export function diffPlans(before: Plan, after: Plan): PlanDiffLine[] {
  const old = new Map(before.steps.map((s) => [s.id, s]));
  const lines: PlanDiffLine[] = [];
  for (const step of after.steps) {
    const was = old.get(step.id);
    if (!was) lines.push({ kind: 'added', id: step.id, title: step.title });
    else if (stepText(was) !== stepText(step)) lines.push({ kind: 'changed', id: step.id, title: step.title, before: was.title });
    else lines.push({ kind: 'same', id: step.id, title: step.title });
    old.delete(step.id);
  }
  for (const step of old.values()) lines.push({ kind: 'removed', id: step.id, title: step.title });
  return lines;
}

function stepText(step: PlanStep): string {
  return JSON.stringify([step.title, step.detail ?? '', step.files ?? [], step.dependsOn ?? [], step.readOnly ?? false]);
}

/** Steps whose dependencies are all among `done`, in plan order. */
export function readySteps(plan: Plan, done: ReadonlySet<string>, started: ReadonlySet<string>): PlanStep[] {
  return plan.steps.filter((s) => !started.has(s.id) && (s.dependsOn ?? []).every((d) => done.has(d)));
}
