/**
 * The table of provider dialects: each one answers the read-then-answer task with the bytes its
 * server puts on the wire, quirks included, as its docs and issue trackers show them (`source`).
 * Every quirk Glassbox handles has a row here, and test/unit/agent/model/dialects.test.ts and the CLI test
 * run the task against each row.
 */
import type { ChatRequestBody } from '../scripted-server';
import type { Dialect, DialectReply } from './dialect-server';
import { READ_ARGS, answerFor, chunk, includeUsage, isAnswerTurn, json, promptTokensOf, sse, usageChunk, words } from './wire';

const model = (r: ChatRequestBody) => r.model ?? 'local';

/** The answer streamed as plain content deltas, then `stop`. */
function answerDeltas(id: string, r: ChatRequestBody, roleFirst = true): object[] {
  const parts = words(answerFor(r));
  return [
    ...parts.map((w, i) => chunk(id, model(r), i === 0 && roleFirst ? { role: 'assistant', content: w } : { content: w })),
    chunk(id, model(r), {}, 'stop'),
    ...(includeUsage(r) ? [usageChunk(id, model(r), promptTokensOf(r))] : []),
  ];
}

/** An endpoint whose model writes its tool call as text (no tool-call parser on the server). */
function textCaller(name: string, quirk: string, source: string, callText: string, options: { refuseTools?: boolean; mistralIds?: boolean } = {}): Dialect {
  return {
    name,
    quirk,
    source,
    reply(r) {
      if (options.refuseTools && r.tools) {
        // Ollama, for a model whose template has no tool support.
        return json(400, { error: { message: `registry.ollama.ai/library/${model(r)} does not support tools`, type: 'api_error', param: null, code: null } });
      }
      const badId = options.mistralIds ? mistralIdProblem(r) : undefined;
      if (badId) return badId;
      const id = `chatcmpl-${name}`;
      if (isAnswerTurn(r)) return { body: sse(answerDeltas(id, r)) };
      const pieces = callText.match(/[\s\S]{1,7}/g) ?? [callText];
      return { body: sse([...pieces.map((p, i) => chunk(id, model(r), i === 0 ? { role: 'assistant', content: p } : { content: p })), chunk(id, model(r), {}, 'stop')]) };
    },
  };
}

export const dialects: readonly Dialect[] = [
  {
    name: 'ollama',
    quirk: 'a whole tool call in one delta, finish_reason "stop" with tool calls',
    source: 'https://github.com/ollama/ollama/blob/main/docs/openai.md; ollama/ollama#7881',
    reply(r) {
      const id = 'chatcmpl-417';
      if (isAnswerTurn(r)) return { body: sse(answerDeltas(id, r)) };
      return {
        body: sse([
          chunk(id, model(r), { role: 'assistant', content: '', tool_calls: [{ id: 'call_7k2m9x1q', index: 0, type: 'function', function: { name: 'read_file', arguments: READ_ARGS } }] }),
          chunk(id, model(r), { role: 'assistant', content: '' }, 'stop'),
        ]),
      };
    },
  },
  {
    name: 'ollama-parallel',
    quirk: 'two parallel calls both at index 0 with different ids',
    source: 'ollama/ollama#10396 (parallel tool calls share index 0)',
    reply(r) {
      const id = 'chatcmpl-88';
      if (isAnswerTurn(r)) return { body: sse(answerDeltas(id, r)) };
      return {
        body: sse([
          chunk(id, model(r), { role: 'assistant', content: '', tool_calls: [{ id: 'call_a1', index: 0, type: 'function', function: { name: 'read_file', arguments: READ_ARGS } }] }),
          chunk(id, model(r), { role: 'assistant', content: '', tool_calls: [{ id: 'call_b2', index: 0, type: 'function', function: { name: 'list_files', arguments: '{}' } }] }),
          chunk(id, model(r), { role: 'assistant', content: '' }, 'tool_calls'),
        ]),
      };
    },
  },
  {
    name: 'ollama-old',
    quirk: 'no index on tool calls (Ollama before 0.5)',
    source: 'ollama/ollama#5796',
    reply(r) {
      const id = 'chatcmpl-12';
      if (isAnswerTurn(r)) return { body: sse(answerDeltas(id, r)) };
      return {
        body: sse([
          chunk(id, model(r), { role: 'assistant', content: '', tool_calls: [{ id: 'call_x9', type: 'function', function: { name: 'read_file', arguments: READ_ARGS } }] }),
          chunk(id, model(r), { role: 'assistant', content: '' }, 'stop'),
        ]),
      };
    },
  },
  {
    name: 'ollama-qwen3-think',
    quirk: 'Qwen3 through Ollama: <think>…</think> inside content',
    source: 'ollama/ollama#10448 (think tags in OpenAI-compatible content)',
    reply(r) {
      const id = 'chatcmpl-q3';
      const think = ['<th', 'ink>\n', 'The user wants ', 'the code; ', 'I should read ', 'the file.', '\n</thi', 'nk>\n\n'];
      if (isAnswerTurn(r)) {
        return { body: sse([...think.map((t) => chunk(id, model(r), { role: 'assistant', content: t })), ...answerDeltas(id, r, false)]) };
      }
      return {
        body: sse([
          ...think.map((t) => chunk(id, model(r), { role: 'assistant', content: t })),
          chunk(id, model(r), { role: 'assistant', content: '', tool_calls: [{ id: 'call_q3', index: 0, type: 'function', function: { name: 'read_file', arguments: READ_ARGS } }] }),
          chunk(id, model(r), { role: 'assistant', content: '' }, 'tool_calls'),
        ]),
      };
    },
  },
  {
    name: 'llama.cpp',
    quirk: 'reasoning_content deltas, 32-character ids, arguments streamed',
    source: 'ggml-org/llama.cpp#12379 (streamed tool calls and thoughts with --jinja)',
    routes: { 'GET /props': () => json(200, { default_generation_settings: { n_ctx: 8192 }, total_slots: 1 }) },
    reply(r) {
      const id = 'chatcmpl-Vq7mBn2Lx8Pz0Yt4Rk6Wc1Hs9Jd3Fg5A';
      const thoughts = ['I need ', 'to read ', 'notes.txt.'].map((t) => chunk(id, model(r), { reasoning_content: t }));
      if (isAnswerTurn(r)) return { body: sse([...thoughts, ...answerDeltas(id, r)]) };
      return {
        body: sse([
          ...thoughts,
          chunk(id, model(r), { tool_calls: [{ index: 0, id: 'Kx3Tq8Lm2Zp5Rv9Wn1Ys7Hc4Jb6Fd0Ga', type: 'function', function: { name: 'read_file', arguments: '' } }] }),
          chunk(id, model(r), { tool_calls: [{ index: 0, function: { arguments: '{"path":' } }] }),
          chunk(id, model(r), { tool_calls: [{ index: 0, function: { arguments: '"notes.txt"}' } }] }),
          chunk(id, model(r), {}, 'tool_calls'),
          ...(includeUsage(r) ? [usageChunk(id, model(r), promptTokensOf(r))] : []),
        ]),
      };
    },
  },
  {
    name: 'llama.cpp-repeated-name',
    quirk: 'the full function name on every delta, the id in function.id',
    source: 'ggml-org/llama.cpp#12379 review ("add_two_numbersadd_two_numbers…" in LangChain)',
    reply(r) {
      const id = 'chatcmpl-rn';
      if (isAnswerTurn(r)) return { body: sse(answerDeltas(id, r)) };
      const fragment = (args: string) => ({ tool_calls: [{ index: 0, type: 'function', function: { id: 'fc_Ym4Qw8Er2Ty6Ui0Op3As7Df1Gh5Jk9L', name: 'read_file', arguments: args } }] });
      return { body: sse([chunk(id, model(r), fragment('{"pa')), chunk(id, model(r), fragment('th": "notes')), chunk(id, model(r), fragment('.txt"}')), chunk(id, model(r), {}, 'tool_calls')]) };
    },
  },
  {
    name: 'llama.cpp-object-arguments',
    quirk: 'arguments sent as a JSON object, not a string',
    source: 'ggml-org/llama.cpp#11847 (arguments as object in tool_calls)',
    reply(r) {
      const id = 'chatcmpl-oa';
      if (isAnswerTurn(r)) return { body: sse(answerDeltas(id, r)) };
      return {
        body: sse([
          chunk(id, model(r), { role: 'assistant', tool_calls: [{ index: 0, id: 'Zx1Cv2Bn3Mq4Wr5Et6Yu7Io8Pa9Sd0Fg', type: 'function', function: { name: 'read_file', arguments: { path: 'notes.txt' } } }] }),
          chunk(id, model(r), {}, 'tool_calls'),
        ]),
      };
    },
  },
  {
    name: 'llama.cpp-no-stream-tools',
    quirk: 'HTTP 500 "Cannot use tools with stream" (older builds): non-streaming fallback, remembered',
    source: 'simonw/llm-llama-server#3; containers/ramalama#1431',
    reply(r) {
      if (r.stream && r.tools) return json(500, { error: { code: 500, message: 'Cannot use tools with stream', type: 'server_error' } });
      const message = isAnswerTurn(r)
        ? { role: 'assistant', content: answerFor(r) }
        : { role: 'assistant', content: null, tool_calls: [{ id: 'Qw1Er2Ty3Ui4Op5As6Df7Gh8Jk9Lz0Xc', type: 'function', function: { name: 'read_file', arguments: READ_ARGS } }] };
      return json(200, {
        id: 'chatcmpl-ns',
        object: 'chat.completion',
        created: 1764547200,
        model: model(r),
        choices: [{ index: 0, message, finish_reason: isAnswerTurn(r) ? 'stop' : 'tool_calls' }],
        usage: { prompt_tokens: promptTokensOf(r), completion_tokens: 20, total_tokens: promptTokensOf(r) + 20 },
      });
    },
  },
  {
    name: 'llama.cpp-no-jinja',
    quirk: 'HTTP 500 "tools param requires --jinja flag": tools described in the prompt, the fix named',
    source: 'ggml-org/llama.cpp tools/server (tools param requires --jinja flag)',
    reply(r) {
      if (r.tools) return json(500, { error: { code: 500, message: 'tools param requires --jinja flag', type: 'server_error' } });
      const id = 'chatcmpl-nj';
      if (isAnswerTurn(r)) return { body: sse(answerDeltas(id, r)) };
      const call = '<tool_call>\n{"name": "read_file", "arguments": {"path": "notes.txt"}}\n</tool_call>';
      return { body: sse([...(call.match(/[\s\S]{1,9}/g) ?? []).map((p) => chunk(id, model(r), { content: p })), chunk(id, model(r), {}, 'stop')]) };
    },
  },
  {
    name: 'vllm',
    quirk: 'delta.reasoning, chatcmpl-tool- ids, first tool delta without arguments',
    source: 'vllm-project/vllm docs/features/reasoning_outputs.md and tool_calling.md',
    routes: { 'GET /v1/models': () => json(200, { object: 'list', data: [{ id: 'vllm-model', object: 'model', owned_by: 'vllm', max_model_len: 32768 }] }) },
    reply(r) {
      const id = 'chatcmpl-0f3b9c';
      const thoughts = [chunk(id, model(r), { role: 'assistant', content: '' }), chunk(id, model(r), { reasoning: 'Read the file first.' })];
      if (isAnswerTurn(r)) return { body: sse([...thoughts, ...answerDeltas(id, r, false)]) };
      return {
        body: sse([
          ...thoughts,
          chunk(id, model(r), { tool_calls: [{ id: 'chatcmpl-tool-5d7e3a0b1c2f4e6a8b9c0d1e2f3a4b5c', type: 'function', index: 0, function: { name: 'read_file' } }] }),
          chunk(id, model(r), { tool_calls: [{ index: 0, function: { arguments: '{"path": "notes.txt"}' } }] }),
          chunk(id, model(r), { content: '' }, 'tool_calls'),
        ]),
      };
    },
  },
  {
    name: 'vllm-no-auto-tool-choice',
    quirk: 'flat 400 {"object":"error"} "auto tool choice requires --enable-auto-tool-choice": tools in the prompt',
    source: 'vllm-project/vllm#9986',
    reply(r) {
      if (r.tools) {
        return json(400, { object: 'error', message: '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set', type: 'BadRequestError', param: null, code: 400 });
      }
      const id = 'chatcmpl-nt';
      if (isAnswerTurn(r)) return { body: sse(answerDeltas(id, r)) };
      return { body: sse([chunk(id, model(r), { role: 'assistant', content: '<tool_call>\n{"name": "read_file", "arguments": {"path": "notes.txt"}}\n</tool_call>' }), chunk(id, model(r), {}, 'stop')]) };
    },
  },
  {
    name: 'lm-studio',
    quirk: 'name "" and type repeated on every delta; <think>…</think> inside content',
    source: 'lmstudio-ai/lmstudio-bug-tracker#300 (empty name on later deltas)',
    routes: { 'GET /api/v0/models': () => json(200, { object: 'list', data: [{ id: 'lm-studio-model', type: 'llm', state: 'loaded', max_context_length: 32768, loaded_context_length: 16384 }] }) },
    reply(r) {
      const id = 'chatcmpl-lms';
      const think = ['<think>', 'Reading the file ', 'will tell me.', '</think>', '\n\n'].map((t) => chunk(id, model(r), { role: 'assistant', content: t }));
      if (isAnswerTurn(r)) return { body: sse([...think, ...answerDeltas(id, r, false)]) };
      const fragment = (args: string, first: boolean) => ({ tool_calls: [{ index: 0, ...(first ? { id: '365174485' } : {}), type: 'function', function: { name: first ? 'read_file' : '', arguments: args } }] });
      return { body: sse([...think, chunk(id, model(r), fragment('', true)), chunk(id, model(r), fragment('{"path":"', false)), chunk(id, model(r), fragment('notes.txt"}', false)), chunk(id, model(r), {}, 'tool_calls')]) };
    },
  },
  {
    name: 'azure-openai',
    quirk: 'first chunk with choices: [] and prompt_filter_results; deployment and api-version in the URL; api-key header',
    source: 'learn.microsoft.com/azure/ai-foundry/openai/reference (chat completions, content filtering)',
    basePath: '/openai/deployments/gpt-4o-mini',
    client: { headers: { 'api-key': 'azure-test-key' }, query: { 'api-version': '2024-10-21' } },
    reply(r, { url, headers }) {
      if (headers['api-key'] !== 'azure-test-key') {
        return json(401, { error: { code: '401', message: 'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.' } });
      }
      if (url.searchParams.get('api-version') !== '2024-10-21') return json(404, { error: { code: '404', message: 'Resource not found' } });
      const id = 'chatcmpl-AzX1';
      const filter = { id: '', object: '', created: 0, model: '', choices: [], prompt_filter_results: [{ prompt_index: 0, content_filter_results: { hate: { filtered: false, severity: 'safe' }, self_harm: { filtered: false, severity: 'safe' }, sexual: { filtered: false, severity: 'safe' }, violence: { filtered: false, severity: 'safe' } } }] };
      if (isAnswerTurn(r)) return { body: sse([filter, ...answerDeltas(id, r)]) };
      return {
        body: sse([
          filter,
          chunk(id, 'gpt-4o-mini-2024-07-18', { role: 'assistant', content: null, tool_calls: [{ index: 0, id: 'call_Az9', type: 'function', function: { name: 'read_file', arguments: '' } }] }),
          chunk(id, 'gpt-4o-mini-2024-07-18', { tool_calls: [{ index: 0, function: { arguments: READ_ARGS } }] }),
          chunk(id, 'gpt-4o-mini-2024-07-18', {}, 'tool_calls'),
        ]),
      };
    },
  },
  {
    name: 'openrouter',
    quirk: 'SSE comments ": OPENROUTER PROCESSING", delta.reasoning, an error inside a 200 stream (finish_reason "error")',
    source: 'openrouter.ai/docs/api-reference/streaming (comments, mid-stream errors)',
    reply(r, { index }) {
      const id = 'gen-1764547200-abc';
      const processing = ': OPENROUTER PROCESSING\n\n';
      if (index === 0) {
        // The upstream provider dropped mid-answer: OpenRouter says so inside the 200 stream.
        return {
          body: sse([processing, chunk(id, model(r), { role: 'assistant', content: 'Let me' }), { id, object: 'chat.completion.chunk', created: 1764547200, model: model(r), provider: 'Fireworks', error: { code: 'server_error', message: 'Provider disconnected unexpectedly' }, choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error' }] }]),
        };
      }
      const thoughts = [processing, processing, chunk(id, model(r), { role: 'assistant', content: '', reasoning: 'The file will say.' })];
      if (isAnswerTurn(r)) return { body: sse([...thoughts, ...answerDeltas(id, r, false)]) };
      return {
        body: sse([
          ...thoughts,
          chunk(id, model(r), { content: null, tool_calls: [{ index: 0, id: 'toolu_vrtx_01', type: 'function', function: { name: 'read_file', arguments: READ_ARGS } }] }),
          chunk(id, model(r), { content: '' }, 'tool_calls', { native_finish_reason: 'tool_use' }),
        ]),
      };
    },
  },
  {
    name: 'groq',
    quirk: 'usage only under x_groq; an intermittent 400 tool_use_failed with failed_generation',
    source: 'groq/groq-typescript#28 and #103 (tool_use_failed, failed_generation); console.groq.com/docs/text-chat (x_groq)',
    reply(r, { index }) {
      if (index === 0) {
        return json(400, {
          error: {
            message: "Failed to call a function. Please adjust your prompt. See 'failed_generation' for more details.",
            type: 'invalid_request_error',
            code: 'tool_use_failed',
            failed_generation: '<function=read_file>{"path": "notes.txt"}</function>',
          },
        });
      }
      const id = 'chatcmpl-groq';
      const prompt = promptTokensOf(r);
      const xGroq = { x_groq: { id: 'req_01', usage: { queue_time: 0.01, prompt_tokens: prompt, prompt_time: 0.02, completion_tokens: 18, completion_time: 0.03, total_tokens: prompt + 18, total_time: 0.05 } } };
      const body = isAnswerTurn(r)
        ? [chunk(id, model(r), { role: 'assistant', content: '' }, null, { x_groq: { id: 'req_01' } }), ...words(answerFor(r)).map((w) => chunk(id, model(r), { content: w })), chunk(id, model(r), {}, 'stop', xGroq)]
        : [chunk(id, model(r), { role: 'assistant', content: null }), chunk(id, model(r), { tool_calls: [{ id: 'call_gq1', type: 'function', function: { name: 'read_file', arguments: READ_ARGS }, index: 0 }] }), chunk(id, model(r), {}, 'tool_calls', xGroq)];
      return { body: sse(body) };
    },
  },
  {
    name: 'deepseek',
    quirk: '": keep-alive" comments; thinking mode needs reasoning_content back on tool-call turns',
    source: 'api-docs.deepseek.com/guides/thinking_mode (tool calls); api-docs.deepseek.com/quick_start/rate_limit (keep-alive)',
    reply(r) {
      const id = 'b6c1-deepseek';
      const assistantCall = r.messages.find((m) => m.role === 'assistant' && m.tool_calls?.length) as (ChatRequestBody['messages'][number] & { reasoning_content?: unknown }) | undefined;
      if (assistantCall && typeof assistantCall.reasoning_content !== 'string') {
        return json(400, { error: { message: 'Missing `reasoning_content` field in the assistant message at message index 2. For more information, please refer to https://api-docs.deepseek.com/guides/thinking_mode#tool-calls', type: 'invalid_request_error', param: null, code: 'invalid_request_error' } });
      }
      const thinking = [': keep-alive\n\n', chunk(id, model(r), { role: 'assistant', content: null, reasoning_content: '' }), chunk(id, model(r), { reasoning_content: 'I should open notes.txt.' })];
      if (isAnswerTurn(r)) return { body: sse([...thinking, ...answerDeltas(id, r, false)]) };
      return {
        body: sse([
          ...thinking,
          ': keep-alive\n\n',
          chunk(id, model(r), { tool_calls: [{ index: 0, id: 'call_00_ds1', type: 'function', function: { name: 'read_file', arguments: '' } }] }),
          chunk(id, model(r), { tool_calls: [{ index: 0, function: { arguments: READ_ARGS } }] }),
          chunk(id, model(r), { content: null }, 'tool_calls'),
          ...(includeUsage(r) ? [usageChunk(id, model(r), promptTokensOf(r))] : []),
        ]),
      };
    },
  },
  {
    name: 'mistral',
    quirk: '422 for stream_options; only 9-character alphanumeric tool-call ids',
    source: 'docs.mistral.ai/capabilities/function_calling; continuedev/continue#2936 (stream_options 422)',
    reply(r) {
      if (r.stream_options) {
        return json(422, { object: 'error', message: { detail: [{ type: 'extra_forbidden', loc: ['body', 'stream_options'], msg: 'Extra inputs are not permitted', input: { include_usage: true } }] }, type: 'invalid_request_error', param: null, code: null });
      }
      const bad = mistralIdProblem(r);
      if (bad) return bad;
      const id = 'cmpl-e5cc70bb28c444948073e77776eb30ef';
      if (isAnswerTurn(r)) return { body: sse(answerDeltas(id, r)) };
      return { body: sse([chunk(id, model(r), { role: 'assistant', content: '' }), chunk(id, model(r), { tool_calls: [{ id: 'D681PevKs', function: { name: 'read_file', arguments: READ_ARGS }, index: 0 }] }, 'tool_calls', { usage: { prompt_tokens: promptTokensOf(r), total_tokens: promptTokensOf(r) + 25, completion_tokens: 25 } })]) };
    },
  },
  {
    name: 'gemini',
    quirk: 'no id and no index on tool calls, "stop" for a call, extra_content thought signature that must come back, array-shaped errors',
    source: 'ai.google.dev/gemini-api/docs/openai (thought signatures); google-gemini/gemini-cli#16987 (array error body)',
    basePath: '/v1beta/openai',
    reply(r) {
      const call = r.messages.find((m) => m.role === 'assistant' && m.tool_calls?.length);
      const signature = (call?.tool_calls?.[0] as { extra_content?: { google?: { thought_signature?: string } } } | undefined)?.extra_content?.google?.thought_signature;
      if (call && signature !== 'CiQB0e2Kb8sig') {
        return json(400, [{ error: { code: 400, message: 'Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance.', status: 'INVALID_ARGUMENT' } }]);
      }
      const id = 'XdYtaPq2';
      if (isAnswerTurn(r)) return { body: sse(answerDeltas(id, r)) };
      return {
        body: sse([
          chunk(id, model(r), { role: 'assistant', tool_calls: [{ extra_content: { google: { thought_signature: 'CiQB0e2Kb8sig' } }, function: { arguments: READ_ARGS, name: 'read_file' }, type: 'function' }] }, 'stop'),
          ...(includeUsage(r) ? [usageChunk(id, model(r), promptTokensOf(r))] : []),
        ]),
      };
    },
  },
  {
    name: 'litellm',
    quirk: 'id and type on every delta, tool index from 1, extra "stop" chunks, no [DONE], "data:" without a space, CRLF',
    source: 'BerriAI/litellm#6102 (index starts at 1), #4539 (no [DONE]); proxies that rewrite line ends',
    reply(r) {
      const id = 'chatcmpl-llm';
      const options = { eol: '\r\n', space: false, done: false } as const;
      if (isAnswerTurn(r)) return { body: sse([...answerDeltas(id, r), chunk(id, model(r), {}, 'stop')], options) };
      const fragment = (args: string) => ({ tool_calls: [{ id: 'call_ll1', type: 'function', index: 1, function: { name: args === '' ? 'read_file' : null, arguments: args } }] });
      return { body: sse([chunk(id, model(r), { role: 'assistant', ...fragment('') }), chunk(id, model(r), fragment('{"path": ')), chunk(id, model(r), fragment('"notes.txt"}')), chunk(id, model(r), {}, 'tool_calls'), chunk(id, model(r), {}, 'stop')], options) };
    },
  },
  // ---- Models that write their calls as text ----
  textCaller('text-hermes', 'Hermes/Qwen <tool_call> in the content', 'NousResearch/Hermes-Function-Calling; Qwen2.5 chat template', '<tool_call>\n{"name": "read_file", "arguments": {"path": "notes.txt"}}\n</tool_call>'),
  textCaller('text-python-tag', 'Llama 3.1 <|python_tag|> with "parameters"', 'llama.com/docs/model-cards-and-prompt-formats/llama3_1', '<|python_tag|>{"name": "read_file", "parameters": {"path": "notes.txt"}}<|eom_id|>'),
  textCaller('text-mistral', 'Mistral [TOOL_CALLS][…] in the content', 'mistralai/mistral-common (v3 tokenizer tool calls)', '[TOOL_CALLS][{"name": "read_file", "arguments": {"path": "notes.txt"}}]', { mistralIds: true }),
  textCaller('text-function-tag', '<function=name>{…}</function> in the content', 'llama.com docs (Llama 3.x custom tool format); Qwen3-Coder template', 'I will read it.\n<function=read_file>{"path": "notes.txt"}</function>'),
  textCaller('text-bare-json', 'bare {"name","parameters"} from a model without tools', 'llama.com docs (Llama 3.1 JSON tool calling)', '{"name": "read_file", "parameters": {"path": "notes.txt"}}', { refuseTools: true }),
  textCaller('text-fenced-json', 'a fenced json block holding only the call', 'small models under prompt-described tools', '```json\n{"name": "read_file", "arguments": {"path": "notes.txt"}}\n```', { refuseTools: true }),
  textCaller('text-react', 'ReAct Action: / Action Input:', 'arXiv 2210.03629 (ReAct); LangChain ReAct prompt', 'Thought: I need the file.\nAction: read_file\nAction Input: {"path": "notes.txt"}', { refuseTools: true }),
];

/** Mistral refuses any tool-call id that is not 9 letters or digits, in any message. */
function mistralIdProblem(r: ChatRequestBody): DialectReply | undefined {
  for (const m of r.messages) {
    const ids = [...(m.tool_calls?.map((c) => c.id) ?? []), ...(m.tool_call_id ? [m.tool_call_id] : [])];
    const bad = ids.find((id) => !/^[a-zA-Z0-9]{9}$/.test(id));
    if (bad) {
      return json(400, { object: 'error', message: `Tool call id was ${bad} but must be a-z, A-Z, 0-9, with a length of 9.`, type: 'invalid_request_message_order', param: null, code: '3280' });
    }
  }
  return undefined;
}

export function dialectNamed(name: string): Dialect {
  const found = dialects.find((d) => d.name === name);
  if (!found) throw new Error(`no dialect named ${name}`);
  return found;
}
