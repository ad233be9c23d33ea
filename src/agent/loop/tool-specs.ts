import { z } from 'zod';
import type { ToolSpec } from '../model/model';
import type { AnyTool } from '../tool';

const specs = new WeakMap<AnyTool, ToolSpec>();

/** What the model is told about a tool; converted from its zod schema once per tool. */
export function toolSpecOf(tool: AnyTool): ToolSpec {
  let spec = specs.get(tool);
  if (!spec && tool.parameters) {
    spec = { name: tool.name, description: tool.description, parameters: { ...tool.parameters } };
    specs.set(tool, spec);
  } else if (!spec) {
    const { $schema: _ignored, ...parameters } = z.toJSONSchema(tool.input, { io: 'input', unrepresentable: 'any' }) as Record<
      string,
      unknown
    >;
    spec = { name: tool.name, description: tool.description, parameters };
    specs.set(tool, spec);
  }
  return spec;
}
