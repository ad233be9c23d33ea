/**
 * The tools the tool-call fixtures call (test/support/tool-call-fixtures.ts), as real tools: a
 * strict zod schema from the types the reference fixtures declare, and an `execute` that says
 * what it was called with, so a test sees exactly which calls ran.
 */
import { z } from 'zod';
import { defineTool, type AnyTool } from '../../src/agent/tool';
import { FIXTURE_TOOLS, type FixtureParameter } from './tool-call-fixtures';

function schemaOf(type: FixtureParameter): z.ZodType {
  switch (type) {
    case 'string':
      return z.string().optional();
    case 'integer':
      return z.number().int().optional();
    case 'number':
      return z.number().optional();
    case 'boolean':
      return z.boolean().optional();
    case 'array':
      return z.array(z.unknown()).optional();
    case 'object':
      return z.record(z.string(), z.unknown()).optional();
    case 'any':
      return z.unknown().optional();
  }
}

/** Every fixture tool, read-only (so auto-approved), answering `NAME ran with ARGS`. */
export function fixtureTools(): AnyTool[] {
  return Object.entries(FIXTURE_TOOLS).map(([name, parameters]) =>
    defineTool({
      name,
      description: `The ${name} tool of the reference fixtures.`,
      risk: 'read',
      input: z.object(Object.fromEntries(Object.entries(parameters).map(([key, type]) => [key, schemaOf(type)]))).strict(),
      async execute(args) {
        return `${name} ran with ${JSON.stringify(args)}`;
      },
    }) as AnyTool,
  );
}
