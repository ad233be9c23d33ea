import { z } from 'zod';
import { defineTool, type AnyTool } from '../tool';
import { PlanStepSchema, planProblems, type Plan } from './plan';

export const SUBMIT_PLAN_TOOL = 'submit_plan';

/**
 * The planning phase's one way out: the model hands over its plan. The arguments go through
 * the plan schema (unique ids, known dependencies, no cycles); a bad plan comes back as a
 * failed call naming each problem, which the model fixes like any bad arguments.
 */
export function submitPlanTool(onPlan: (plan: Plan) => void): AnyTool {
  return defineTool({
    name: SUBMIT_PLAN_TOOL,
    description:
      'Submit your plan for the task once you have looked enough to make one. The person reviews, may edit it, and approves or rejects it; ' +
      'do not start the work yourself. Each step is one piece of work another agent can do alone: a short title, details, the files involved, ' +
      'and `dependsOn` with the ids of the steps whose results it needs (leave it out when it needs none, so steps can run in parallel).',
    risk: 'read',
    input: z.object({ goal: z.string().trim().min(1), steps: z.array(PlanStepSchema).min(1).max(20) }),
    async execute(plan) {
      const problems = planProblems(plan);
      if (problems.length > 0) {
        throw new Error(`The plan was not accepted: ${problems.map((p) => p.message).join('; ')}. Fix it and call ${SUBMIT_PLAN_TOOL} again.`);
      }
      onPlan(plan);
      return 'Plan received. It is shown to the person for review now; reply with one short sentence and stop.';
    },
  });
}
