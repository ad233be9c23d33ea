// Error bodies as real servers send them (each shape from its server's issue tracker): the
// user must read the server's own words, never "status code (no body)".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseErrorBody } from '../../../../src/agent/model/error-body';

const cases: { name: string; body: string; message: string; code?: string; type?: string; failedGeneration?: string }[] = [
  {
    name: 'OpenAI: error object',
    body: '{"error":{"message":"Incorrect API key provided: sk-xx.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}',
    message: 'Incorrect API key provided: sk-xx.',
    code: 'invalid_api_key',
    type: 'invalid_request_error',
  },
  {
    name: 'vLLM: flat object with "object": "error"',
    body: '{"object":"error","message":"\\"auto\\" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set","type":"BadRequestError","param":null,"code":400}',
    message: '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set',
    code: '400',
    type: 'BadRequestError',
  },
  {
    name: 'Gemini: array around the error',
    body: '[{"error":{"code":400,"message":"Invalid JSON payload received. Unknown name \\"reasoning\\": Cannot find field.","status":"INVALID_ARGUMENT"}}]',
    message: 'Invalid JSON payload received. Unknown name "reasoning": Cannot find field.',
    code: '400',
  },
  {
    name: 'Ollama: bare string error',
    body: '{"error":"model \\"qwen3:4b\\" not found, try pulling it first"}',
    message: 'model "qwen3:4b" not found, try pulling it first',
  },
  {
    name: 'llama.cpp: error with numeric code',
    body: '{"error":{"code":500,"message":"Cannot use tools with stream","type":"server_error"}}',
    message: 'Cannot use tools with stream',
    code: '500',
    type: 'server_error',
  },
  {
    name: 'Groq: tool_use_failed with failed_generation',
    body: '{"error":{"message":"Failed to call a function. Please adjust your prompt. See \'failed_generation\' for more details.","type":"invalid_request_error","code":"tool_use_failed","failed_generation":"<function=read_file>{\\"path\\": \\"a.txt\\"}</function>"}}',
    message: "Failed to call a function. Please adjust your prompt. See 'failed_generation' for more details.",
    code: 'tool_use_failed',
    failedGeneration: '<function=read_file>{"path": "a.txt"}</function>',
  },
  {
    name: 'Mistral 422: message holding a FastAPI detail list',
    body: '{"object":"error","message":{"detail":[{"type":"extra_forbidden","loc":["body","stream_options"],"msg":"Extra inputs are not permitted","input":{"include_usage":true}}]},"type":"invalid_request_error","param":null,"code":null}',
    message: 'body.stream_options: Extra inputs are not permitted',
    type: 'invalid_request_error',
  },
  {
    name: 'FastAPI proxy: detail string',
    body: '{"detail":"Not authenticated"}',
    message: 'Not authenticated',
  },
  {
    name: 'OpenRouter: upstream words in metadata.raw',
    body: '{"error":{"message":"Provider returned error","code":400,"metadata":{"raw":"{\\"error\\":{\\"message\\":\\"max_tokens is too large\\"}}","provider_name":"Fireworks"}}}',
    message: 'Provider returned error: max_tokens is too large',
    code: '400',
  },
  {
    name: 'reverse proxy: HTML page',
    body: '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
    message: '502 Bad Gateway nginx',
  },
  {
    name: 'plain text',
    body: 'upstream connect error or disconnect/reset before headers',
    message: 'upstream connect error or disconnect/reset before headers',
  },
];

for (const c of cases) {
  test(`error body, ${c.name}: the server's own words reach the user`, () => {
    const parsed = parseErrorBody(c.body);
    assert.ok(parsed, 'parsed');
    assert.equal(parsed.message, c.message);
    if (c.code !== undefined) assert.equal(parsed.code, c.code);
    if (c.type !== undefined) assert.equal(parsed.type, c.type);
    if (c.failedGeneration !== undefined) assert.equal(parsed.failedGeneration, c.failedGeneration);
  });
}

test('an empty body has nothing to say; an unknown JSON shape is shown as it is', () => {
  assert.equal(parseErrorBody(''), undefined);
  assert.equal(parseErrorBody('   '), undefined);
  assert.equal(parseErrorBody('{"status":"bad"}')?.message, '{"status":"bad"}');
});

test('a very long body is clipped, not dropped', () => {
  const parsed = parseErrorBody(`{"error":{"message":"${'x'.repeat(5_000)}"}}`);
  assert.ok(parsed && parsed.message.length <= 2_001 && parsed.message.endsWith('…'));
});
