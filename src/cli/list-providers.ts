/**
 * `glassbox providers`: every preset with what it needs, then the model servers found on this
 * machine's loopback ports with their models — so a person can copy a working `--provider` line.
 */
import { DEFAULT_LOCAL_PORTS, discoverLocalServers, describeLocalServer } from '../agent/model/local-discovery';
import type { ModelInfo } from '../agent/model/model-catalog';
import { PROVIDER_PRESETS } from '../agent/model/providers';
import type { ProvidersCommand } from './args';

export async function listProviders(command: ProvidersCommand, out: NodeJS.WritableStream): Promise<number> {
  const found = await discoverLocalServers({ ports: command.ports, timeoutMs: command.timeoutMs });
  if (command.jsonl) {
    for (const server of found) out.write(`${JSON.stringify({ type: 'local-server', ...server })}\n`);
    return 0;
  }
  out.write('Providers (glassbox ask --provider NAME):\n');
  const width = Math.max(...PROVIDER_PRESETS.map((preset) => preset.id.length));
  for (const preset of PROVIDER_PRESETS) {
    const key = preset.key === 'required' ? `key: ${preset.keyEnv ?? '--api-key'}` : preset.key === 'optional' ? 'key optional' : 'no key';
    out.write(`  ${preset.id.padEnd(width)}  ${preset.label}${preset.baseUrl ? ` — ${preset.baseUrl}` : ''} (${key})\n`);
  }
  out.write('\n');
  if (found.length === 0) {
    const probed = command.ports ?? DEFAULT_LOCAL_PORTS;
    out.write(`No model server answered on 127.0.0.1 (ports probed: ${probed.join(', ')}).\n`);
    return 0;
  }
  out.write('Running on this machine:\n');
  for (const server of found) {
    out.write(`  ${describeLocalServer(server)} — ${server.baseURL}\n`);
    for (const model of server.models) out.write(`    ${model.id}${detail(model)}   --provider ${server.provider} --base-url ${server.baseURL} --model ${model.id}\n`);
  }
  return 0;
}

function detail(model: ModelInfo): string {
  return model.contextWindow ? ` (${model.contextWindow.toLocaleString('en-US')} tokens)` : '';
}
