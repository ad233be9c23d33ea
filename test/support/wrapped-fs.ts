import type { WorkspaceFs } from '../../src/agent/workspace-fs';

/**
 * A real WorkspaceFs with some calls replaced: to watch what a tool asks of the file system,
 * or to make a local folder look remote (no local path). Everything else goes to `fs`.
 */
export function wrappedFs(fs: WorkspaceFs, overrides: Partial<WorkspaceFs>): WorkspaceFs {
  return {
    roots: fs.roots,
    normalize: (path) => fs.normalize(path),
    stat: (path) => fs.stat(path),
    exists: (path) => fs.exists(path),
    readFile: (path, options) => fs.readFile(path, options),
    readStream: (path, signal) => fs.readStream(path, signal),
    readDirectory: (path) => fs.readDirectory(path),
    writeFile: (path, data) => fs.writeFile(path, data),
    delete: (path, options) => fs.delete(path, options),
    localPath: (path) => fs.localPath(path),
    ...overrides,
  };
}
