// Runs node's test runner over every *.test.js under the given folders of dist-test/
// (Node 20's `node --test` takes no globs). Extra flags after `--` go to node.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const split = args.indexOf('--');
const dirs = split < 0 ? args : args.slice(0, split);
const nodeFlags = split < 0 ? [] : args.slice(split + 1);

function testsUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testsUnder(path);
    return name.endsWith('.test.js') ? [path] : [];
  });
}

const files = dirs.flatMap(testsUnder).sort();
if (files.length === 0) {
  console.error(`No test files under ${dirs.join(', ')}: run \`npm run build\` first.`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...nodeFlags, ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
