// The folders of src/ import one another one way only: a cycle (agent/events.ts importing
// model/ while model/ imports events.ts; shared/ and agent/ importing each other) means no
// folder can be read, tested or moved without the other. src/agent's own top-level files (the
// contracts) count as the folder src/agent. In src/host the rooms are the nodes: every file under
// src/host/<room>/ counts as that room, and src/host's own top-level files as src/host.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { repoRoot } from '../../support/paths';

type Graph = Map<string, Map<string, string>>;

/** Folder → folder it imports → one import that shows it (file → target), relative paths only. */
function folderGraph(root: string): Graph {
  const graph: Graph = new Map();
  const visit = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith('.ts')) addImports(graph, root, path);
    }
  };
  visit(join(root, 'src'));
  return graph;
}

const HOST = join('src', 'host');

/** The node a folder counts as: src/host/<room> for anything inside that room, else the folder itself. */
function nodeOf(folder: string): string {
  if (!folder.startsWith(HOST + sep)) return folder;
  const room = folder.slice(HOST.length + 1).split(sep)[0]!;
  return join(HOST, room);
}

function addImports(graph: Graph, root: string, file: string): void {
  const from = nodeOf(relative(root, dirname(file)));
  for (const match of readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"](\.[^'"]+)['"]/gm)) {
    const target = normalize(join(dirname(file), match[1]!));
    // `../../tools` names the folder (its index.ts), `./model/model` a file in model/.
    const to = nodeOf(relative(root, existsSync(join(target, 'index.ts')) ? target : dirname(`${target}.ts`)));
    if (to === from) continue;
    if (!graph.has(from)) graph.set(from, new Map());
    graph.get(from)!.set(to, `${relative(root, file)} → ${match[1]}`);
  }
}

/** The first cycle found in the graph, as the imports that make it, or undefined. */
function findCycle(graph: Graph): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const walk = (folder: string): string[] | undefined => {
    state.set(folder, 'open');
    path.push(folder);
    for (const to of (graph.get(folder) ?? new Map<string, string>()).keys()) {
      if (state.get(to) === 'open') return [...path.slice(path.indexOf(to)), to].map((f, i, all) => (i < all.length - 1 ? `${f} (${graph.get(f)!.get(all[i + 1]!)})` : f));
      if (state.get(to) === undefined) {
        const found = walk(to);
        if (found) return found;
      }
    }
    path.pop();
    state.set(folder, 'done');
    return undefined;
  };
  for (const folder of graph.keys()) {
    if (state.has(folder)) continue;
    const found = walk(folder);
    if (found) return found;
  }
  return undefined;
}

test('the folders of src/ and the rooms of src/host import one another without a cycle', () => {
  const cycle = findCycle(folderGraph(repoRoot));
  assert.equal(cycle, undefined, `folder cycle:\n${cycle?.join('\n')}`);
});

test('the check finds a cycle when there is one', () => {
  const graph: Graph = new Map([
    ['src/agent', new Map([['src/agent/model', 'src/agent/events.ts → ./model/model']])],
    ['src/agent/model', new Map([['src/agent', 'src/agent/model/model.ts → ../events']])],
  ]);
  assert.deepEqual(findCycle(graph), [
    'src/agent (src/agent/events.ts → ./model/model)',
    'src/agent/model (src/agent/model/model.ts → ../events)',
    'src/agent',
  ]);
});
