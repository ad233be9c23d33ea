import { CancelledError, ConfigurationError } from '../errors';
import type { AgentEvent, AgentEventBody, ChildLimits, RunEndReason } from '../events';
import { newRunId } from '../ids';
import { Conversation } from '../loop/conversation';
import { streamEvents, type EventChannel } from '../loop/event-channel';
import { runAgent } from '../loop/run-agent';
import { defaultLimits, type RunOptions } from '../loop/run-options';
import { RunLifecycle } from '../loop/run-lifecycle';
import { endingSentence } from '../loop/stop-rules';
import { untilAborted } from '../loop/until-aborted';
import { parsePlan, type Plan, type PlanStep } from './plan';
import { PlanBudget } from './plan-budget';
import { PLANNING_PROMPT, STEP_FAILED, failedStepTask, planningTask, rejectedTask, stepTask } from './plan-prompts';
import { submitPlanTool } from './submit-plan-tool';

export type PlanDecision = { readonly kind: 'approve'; readonly plan: Plan } | { readonly kind: 'reject'; readonly reason: string };

export interface PlanProposal {
  readonly runId: string;
  readonly revision: number;
  readonly plan: Plan;
  readonly replaces?: Plan;
  readonly why?: string;
}

/** Asks the person about a plan: the chat's checklist, the CLI's prompt. Honour `signal` (Stop). */
export type PlanDecider = (proposal: PlanProposal, signal: AbortSignal) => Promise<PlanDecision>;

export interface PlanSettings {
  /** Revised plans (after rejections or failed steps) before the run gives up. */
  readonly maxRevisions: number;
  /** Most model calls one step may take, however much of the run is left. */
  readonly stepMaxSteps: number;
  readonly planningMaxSteps: number;
  /** Run read-only steps whose dependencies are met at the same time. */
  readonly parallel: boolean;
}

export const defaultPlanSettings: PlanSettings = { maxRevisions: 3, stepMaxSteps: 8, planningMaxSteps: 10, parallel: true };

export interface PlannedRunOptions extends RunOptions {
  readonly decidePlan: PlanDecider;
  readonly planSettings?: Partial<PlanSettings>;
}

/**
 * Plan-and-Execute on the one loop: a planning run (read tools and `submit_plan`) proposes a
 * plan, the person approves it (perhaps edited) or rejects it with a reason the model gets, and
 * each step then runs as a run of its own, seeing the goal, the plan, what earlier steps found
 * and its own step. A failed step leads to a revised plan, decided again. The run's limits
 * cover everything; each step gets its own share. One stream out, ending in one `run-end`.
 */
export async function* runPlanned(options: PlannedRunOptions): AsyncGenerator<AgentEvent> {
  return yield* streamEvents(new PlannedRun(options));
}

type StepResult = { readonly step: PlanStep; readonly ok: boolean; readonly findings: string };
type Outcome = { readonly reason: RunEndReason; readonly answer: string };

class PlannedRun {
  readonly #options: PlannedRunOptions;
  readonly #settings: PlanSettings;
  /** Stop and deadline, events and log, the ending of a throw, the `run-end`. Its step counts the planning runs' model turns. */
  readonly #run: RunLifecycle;
  readonly #budget: PlanBudget;
  readonly #findings = new Map<string, string>();

  constructor(options: PlannedRunOptions) {
    this.#options = options;
    this.#run = new RunLifecycle(options.runId, { ...defaultLimits, ...options.limits }, options.logger);
    this.#settings = { ...defaultPlanSettings, ...options.planSettings };
    this.#budget = new PlanBudget(this.#run.limits, this.#run.deadline);
  }

  get events(): EventChannel {
    return this.#run.events;
  }

  cancel(): void {
    this.#run.cancel();
  }

  #emit(body: AgentEventBody): AgentEvent {
    return this.#run.emit(body);
  }

  async execute(): Promise<void> {
    const stopWatching = this.#run.watch(this.#options.signal);
    this.#emit({
      type: 'run-start',
      task: this.#options.task,
      model: this.#options.model.name,
      tools: [...this.#options.tools, submitPlanTool(() => undefined)].map((t) => ({ name: t.name, risk: t.risk })),
      limits: this.#run.limits,
      ...(this.#options.notices?.length ? { notices: this.#options.notices } : {}),
    });
    let outcome: Outcome;
    try {
      outcome = await this.#planAndExecute();
    } catch (error) {
      const ending = this.#run.endingFor(error);
      const { reason } = ending;
      outcome = { reason, answer: reason === 'answered' ? '' : endingSentence(reason, ending.detail, this.#run.limits) };
    } finally {
      stopWatching();
    }
    if (outcome.reason === 'answered') this.#emit({ type: 'final-answer', text: outcome.answer });
    // A chat goes on after a planned turn: the next question sees what was asked and answered.
    this.#options.conversation?.append({ role: 'user', content: this.#options.task }, { role: 'assistant', content: outcome.answer });
    this.#run.end({ reason: outcome.reason }, outcome.answer, this.#budget.totals);
  }

  async #planAndExecute(): Promise<Outcome> {
    const planning = new Conversation();
    const done = new Set<string>();
    let task = planningTask(this.#options.task);
    let current: Plan | undefined;
    let why: string | undefined;
    for (let revision = 0; ; revision++) {
      if (revision > this.#settings.maxRevisions) {
        return { reason: 'error', answer: `Stopped: no plan was agreed after ${this.#settings.maxRevisions} revisions.${why ? ` Last reason: ${why}` : ''}` };
      }
      const proposed = await this.#propose(planning, task);
      if ('outcome' in proposed) return proposed.outcome;
      this.#emit({ type: 'plan-proposed', revision, plan: proposed.plan, ...(current ? { replaces: current } : {}), ...(why ? { why } : {}) });
      const decision = await untilAborted(
        this.#options.decidePlan({ runId: this.#run.runId, revision, plan: proposed.plan, ...(current ? { replaces: current } : {}), ...(why ? { why } : {}) }, this.#run.signal),
        this.#run.signal,
      );
      if (decision.kind === 'reject') {
        this.#emit({ type: 'plan-decided', revision, decision: 'rejected', plan: proposed.plan, edited: false, reason: decision.reason });
        current = proposed.plan;
        why = decision.reason;
        task = rejectedTask(decision.reason);
        continue;
      }
      // The host validated the person's edits already; the core does not take that on trust.
      const checked = parsePlan(decision.plan);
      if (!checked.ok) throw new ConfigurationError(`The approved plan is not valid: ${checked.error}`);
      const plan = checked.plan;
      const edited = JSON.stringify(plan) !== JSON.stringify(proposed.plan);
      this.#emit({ type: 'plan-decided', revision, decision: 'approved', plan, edited });
      current = plan;
      const failed = await this.#executePlan(plan, done);
      if (!failed) return { reason: 'answered', answer: this.#answerOf(plan) };
      why = `step ${failed.step.id} failed: ${failed.findings}`;
      task = failedStepTask(failed.step, failed.findings, [...done]);
    }
  }

  /** One planning run in the planning conversation; its calls are this run's own steps. */
  async #propose(planning: Conversation, task: string): Promise<{ plan: Plan } | { outcome: Outcome }> {
    let submitted: Plan | undefined;
    const tools = [...this.#options.tools.filter((t) => t.risk === 'read'), submitPlanTool((plan) => (submitted = plan))];
    const share = this.#budget.share(1, this.#settings.planningMaxSteps);
    if ('stop' in share) return { outcome: share.stop };
    const innerRunId = newRunId();
    this.#budget.hold(innerRunId, share.limits);
    const base = this.#run.step;
    let end: Extract<AgentEvent, { type: 'run-end' }> | undefined;
    for await (const event of runAgent({
      ...this.#shared(),
      tools,
      task,
      conversation: planning,
      systemPrompt: PLANNING_PROMPT,
      limits: { ...this.#run.limits, ...share.limits },
      runId: innerRunId,
    })) {
      this.#budget.observe(innerRunId, event);
      if (event.type === 'run-end') end = event;
      this.#forwardAsOwn(event, base);
    }
    this.#budget.release(innerRunId);
    if (this.#run.signal.aborted) throw new CancelledError();
    if (submitted) return { plan: submitted };
    // Answered without a plan (a question needing none), or cut short: that is the run's end.
    return { outcome: { reason: end?.reason ?? 'error', answer: end?.answer ?? 'The planning run ended without an answer.' } };
  }

  /** A planning run's events as this run's: restamped with this run's id and step, totals summed. */
  #forwardAsOwn(event: AgentEvent, base: number): void {
    if (event.type === 'run-start' || event.type === 'run-end' || event.type === 'final-answer') return;
    const { runId: _r, seq: _s, time: _t, step, ...body } = event;
    this.#run.step = Math.max(this.#run.step, base + step);
    const own = body as AgentEventBody;
    this.#run.relay(own.type === 'usage' ? { ...own, totals: this.#budget.totals } : own);
  }

  /**
   * Runs the plan's steps in dependency order: read-only steps whose dependencies are met run
   * side by side; any other step runs alone. Returns the first step that failed, once the
   * steps running beside it have finished.
   */
  async #executePlan(plan: Plan, done: Set<string>): Promise<StepResult | undefined> {
    const started = new Set<string>(done);
    const running = new Map<string, Promise<StepResult>>();
    let exclusive = false;
    let failed: StepResult | undefined;
    for (;;) {
      if (!failed) {
        for (const step of plan.steps) {
          if (started.has(step.id) || !(step.dependsOn ?? []).every((d) => done.has(d))) continue;
          const alone = !step.readOnly || !this.#settings.parallel;
          if (exclusive || (alone && running.size > 0)) break;
          const left = plan.steps.filter((s) => !started.has(s.id)).length;
          started.add(step.id);
          running.set(step.id, this.#runStep(plan, step, left));
          if (alone) {
            exclusive = true;
            break;
          }
        }
      }
      if (running.size === 0) break;
      const result = await Promise.race(running.values());
      running.delete(result.step.id);
      exclusive = false;
      if (result.ok) {
        done.add(result.step.id);
        this.#findings.set(result.step.id, result.findings);
      } else {
        failed ??= result;
      }
    }
    if (this.#run.signal.aborted) throw new CancelledError();
    return failed;
  }

  async #runStep(plan: Plan, step: PlanStep, stepsLeft: number): Promise<StepResult> {
    const share = this.#budget.share(stepsLeft, this.#settings.stepMaxSteps);
    if ('stop' in share) {
      this.#emit({ type: 'plan-step-ended', stepId: step.id, outcome: 'skipped', findings: share.stop.answer, durationMs: 0 });
      return { step, ok: false, findings: share.stop.answer };
    }
    const stepRunId = newRunId();
    const limits: ChildLimits = share.limits;
    this.#budget.hold(stepRunId, limits);
    this.#emit({ type: 'plan-step-started', stepId: step.id, title: step.title, stepRunId, limits });
    const tools = step.readOnly ? this.#options.tools.filter((t) => t.risk === 'read') : this.#options.tools;
    let end: Extract<AgentEvent, { type: 'run-end' }> | undefined;
    try {
      for await (const event of runAgent({
        ...this.#shared(),
        tools,
        task: stepTask(plan, step, this.#findings),
        conversation: new Conversation(),
        limits: { ...this.#run.limits, ...limits },
        runId: stepRunId,
      })) {
        this.#budget.observe(stepRunId, event);
        if (event.type === 'run-end') end = event;
        this.#run.relay({ type: 'plan-step-event', stepId: step.id, stepRunId, event });
      }
    } finally {
      this.#budget.release(stepRunId);
    }
    const answer = end?.answer ?? '';
    const ok = end?.reason === 'answered' && !answer.trimStart().startsWith(STEP_FAILED);
    const findings = ok ? answer : answer.trimStart().replace(STEP_FAILED, '').trim() || `the step ended: ${end?.reason ?? 'error'}`;
    this.#emit({
      type: 'plan-step-ended',
      stepId: step.id,
      stepRunId,
      outcome: ok ? 'done' : 'failed',
      findings,
      durationMs: end?.durationMs ?? 0,
      ...(end ? { totals: end.totals } : {}),
    });
    return { step, ok, findings };
  }

  /** What every inner run shares with this one: model, workspace, approval, price, Stop. */
  #shared(): Omit<RunOptions, 'tools' | 'task'> {
    const o = this.#options;
    return {
      model: o.model,
      fs: o.fs,
      signal: this.#run.signal,
      ...(o.price ? { price: o.price } : {}),
      ...(o.approve ? { approve: o.approve } : {}),
      ...(o.approvalSettings ? { approvalSettings: o.approvalSettings } : {}),
      ...(o.logger ? { logger: o.logger } : {}),
      ...(o.delegation !== undefined ? { delegation: o.delegation } : {}),
      // A step's writes are checkpointed like any run's, so they can be undone.
      ...(o.checkpoints ? { checkpoints: o.checkpoints } : {}),
    };
  }

  /** The answer: what the last steps (the ones nothing depends on) found. */
  #answerOf(plan: Plan): string {
    const needed = new Set(plan.steps.flatMap((s) => s.dependsOn ?? []));
    const sinks = plan.steps.filter((s) => !needed.has(s.id) && this.#findings.has(s.id));
    if (sinks.length === 1) return this.#findings.get(sinks[0].id) ?? '';
    return sinks.map((s) => `**${s.title}**\n\n${this.#findings.get(s.id)}`).join('\n\n');
  }
}
