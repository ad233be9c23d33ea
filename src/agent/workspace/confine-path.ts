/**
 * The path rules every WorkspaceFs applies before touching the disk. Pure: no I/O, so the
 * Node implementation (node-workspace-fs.ts) and the VS Code one (src/host) refuse exactly
 * the same inputs with the same reasons.
 *
 * Two stages, because neither alone is enough:
 *   1. `confinePath` is lexical: it rejects inputs that name something outside the workspace
 *      (`..` escapes, foreign absolute paths, `~`, drive letters, NUL bytes, …) and turns the
 *      rest into a root plus a clean root-relative path.
 *   2. `isInsideRealRoot` runs after the implementation has resolved symlinks (realpath):
 *      a lexically clean path may still lead outside through a link.
 */
import * as nodePath from 'node:path';
import { ConfigurationError, PathOutsideWorkspaceError, ToolError } from '../errors';

/** Linux PATH_MAX; nothing legitimate in a workspace is longer. */
export const MAX_PATH_LENGTH = 4096;
/** NAME_MAX on every common file system. */
export const MAX_SEGMENT_LENGTH = 255;

export type PathPlatform = 'posix' | 'win32';

export interface ConfineRoot {
  /** The folder's name; in a multi-root workspace paths may start with it. */
  readonly name: string;
  /**
   * Absolute path of the folder in the platform's syntax (`/home/me/app`, `C:\app`). For a
   * VS Code URI root, its `fsPath` (or its `path` on a virtual file system, with 'posix').
   */
  readonly path: string;
}

export interface ConfineOptions {
  /** Syntax of the roots' paths. Defaults to the running platform's. */
  readonly platform?: PathPlatform;
  /**
   * Compare absolute paths against roots ignoring case (Windows, default macOS). Only widens
   * what the lexical stage accepts; the real-path check afterwards still decides.
   */
  readonly caseInsensitive?: boolean;
}

export interface ConfinedPath {
  /** Index into the roots given to `confinePath`. */
  readonly rootIndex: number;
  /** Inside the root, forward slashes, no `.` or `..` segments; '' for the root itself. */
  readonly relative: string;
  /** The canonical workspace form: `src/a.ts`, or `api/src/a.ts` with several roots; `.` or the root's name for a root. */
  readonly workspacePath: string;
}

const defaultPlatform = (): PathPlatform => (process.platform === 'win32' ? 'win32' : 'posix');

/** Whether file systems on this platform usually ignore case (a hint; real paths still decide). */
export const isCaseInsensitivePlatform = (platform: NodeJS.Platform = process.platform): boolean =>
  platform === 'win32' || platform === 'darwin';

/**
 * Turns a path a tool received into a root and a root-relative path, or throws
 * PathOutsideWorkspaceError saying why it is refused. Accepts workspace-relative paths
 * (`src/a.ts`, `./src/a.ts`, `src\a.ts`), `.` (the only root), a root's name followed by a
 * path when there are several roots, and absolute paths inside a root.
 *
 * Backslashes count as separators on every platform, so `..\..\etc` is an escape everywhere
 * (the price: POSIX file names containing a backslash cannot be addressed).
 */
export function confinePath(input: string, roots: readonly ConfineRoot[], options: ConfineOptions = {}): ConfinedPath {
  if (roots.length === 0) throw new ConfigurationError('No workspace folder is open, so no file can be used.');
  if (typeof input !== 'string') throw new ToolError('A path must be a string.');
  const platform = options.platform ?? defaultPlatform();
  const refuse = (reason: string): never => {
    throw new PathOutsideWorkspaceError(displayable(input), reason);
  };

  if (input.trim() === '') throw new ToolError('The path is empty. Use "." for the workspace folder.');
  if (input.includes('\0')) refuse('contains a NUL byte');
  if (input.length > MAX_PATH_LENGTH) refuse(`is longer than ${MAX_PATH_LENGTH} characters`);
  const slashed = input.replace(/\\/g, '/');
  if (slashed.split('/').some((segment) => segment.length > MAX_SEGMENT_LENGTH)) {
    refuse(`has a name longer than ${MAX_SEGMENT_LENGTH} characters`);
  }
  if (/^~/.test(slashed)) refuse('starts with "~"; home-folder shortcuts are not expanded');
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(slashed)) refuse('is a URI; give a path inside the workspace');

  const isWindowsDriveForm = /^[a-zA-Z]:/.test(slashed);
  const isUncForm = slashed.startsWith('//');
  if (platform === 'posix') {
    if (isWindowsDriveForm) refuse('is a Windows drive path');
    if (isUncForm) refuse('is a network (UNC) path');
  } else {
    if (isWindowsDriveForm && !/^[a-zA-Z]:\//.test(slashed)) refuse('is relative to a drive\'s current folder');
    if (isUncForm && !roots.some((root) => root.path.replace(/\\/g, '/').startsWith('//'))) refuse('is a network (UNC) path');
  }

  const isAbsolute = slashed.startsWith('/') || isWindowsDriveForm;
  if (isAbsolute) return confineAbsolute(slashed, roots, platform, options.caseInsensitive ?? false, refuse);

  const normalized = nodePath.posix.normalize(slashed).replace(/\/+$/, '');
  if (normalized === '..' || normalized.startsWith('../')) refuse('leads outside the workspace through ".."');
  const relativeToWorkspace = normalized === '.' ? '' : normalized;

  if (roots.length === 1) return confined(roots, 0, relativeToWorkspace);

  // Several roots: the first segment must name one of them.
  const [first, ...rest] = relativeToWorkspace.split('/');
  const rootIndex = roots.findIndex((root) => root.name === first);
  if (relativeToWorkspace === '' || rootIndex < 0) {
    const names = roots.map((root) => `"${root.name}"`).join(', ');
    refuse(`does not start with a workspace folder's name; start it with one of ${names}`);
  }
  return confined(roots, rootIndex, rest.join('/'));
}

function confineAbsolute(
  slashed: string,
  roots: readonly ConfineRoot[],
  platform: PathPlatform,
  caseInsensitive: boolean,
  refuse: (reason: string) => never,
): ConfinedPath {
  const paths = platform === 'win32' ? nodePath.win32 : nodePath.posix;
  const target = toSlashes(paths.normalize(slashed)).replace(/(.)\/+$/, '$1');
  const fold = (text: string) => (caseInsensitive || platform === 'win32' ? text.toLowerCase() : text);
  // Longest root first, so a root nested inside another claims its own files.
  const candidates = roots
    .map((root, index) => ({ index, rootPath: toSlashes(paths.normalize(root.path)).replace(/(.)\/+$/, '$1') }))
    .sort((a, b) => b.rootPath.length - a.rootPath.length);
  for (const { index, rootPath } of candidates) {
    const rootFolded = fold(rootPath);
    const targetFolded = fold(target);
    if (targetFolded === rootFolded) return confined(roots, index, '');
    const prefix = rootFolded.endsWith('/') ? rootFolded : `${rootFolded}/`;
    if (targetFolded.startsWith(prefix)) return confined(roots, index, target.slice(prefix.length));
  }
  return refuse('is an absolute path outside every workspace folder');
}

function confined(roots: readonly ConfineRoot[], rootIndex: number, relative: string): ConfinedPath {
  const root = roots[rootIndex];
  const workspacePath =
    roots.length === 1 ? relative || '.' : relative === '' ? root.name : `${root.name}/${relative}`;
  return { rootIndex, relative, workspacePath };
}

/**
 * Whether `realPath` (already through realpath) is `realRoot` or inside it. Compare real
 * paths only: realpath removes `..`, links and, on case-insensitive systems, case games
 * such as `/WS/../ws`. Pass `caseInsensitive` there, so `/Ws/x` and `/ws/x` agree.
 */
export function isInsideRealRoot(
  realPath: string,
  realRoot: string,
  options: { platform?: PathPlatform; caseInsensitive?: boolean } = {},
): boolean {
  const platform = options.platform ?? defaultPlatform();
  const paths = platform === 'win32' ? nodePath.win32 : nodePath.posix;
  const fold = (text: string) => (options.caseInsensitive || platform === 'win32' ? text.toLowerCase() : text);
  const relative = paths.relative(fold(paths.resolve(realRoot)), fold(paths.resolve(realPath)));
  if (relative === '') return true;
  if (paths.isAbsolute(relative)) return false; // another drive on Windows
  return relative !== '..' && !relative.startsWith(`..${paths.sep}`);
}

/**
 * Joins a root's absolute path and a `ConfinedPath.relative` in the platform's syntax.
 * The relative part is already clean, so the result stays lexically inside the root.
 */
export function joinInsideRoot(rootPath: string, relative: string, platform: PathPlatform = defaultPlatform()): string {
  const paths = platform === 'win32' ? nodePath.win32 : nodePath.posix;
  return relative === '' ? paths.normalize(rootPath) : paths.join(rootPath, ...relative.split('/'));
}

/** Refuses duplicate root names, which would make `name/…` paths ambiguous. */
export function assertDistinctRootNames(roots: readonly ConfineRoot[]): void {
  const seen = new Set<string>();
  for (const root of roots) {
    if (seen.has(root.name)) {
      throw new ConfigurationError(`Two workspace folders are both named "${root.name}"; rename one so paths stay unambiguous.`);
    }
    seen.add(root.name);
  }
}

const toSlashes = (text: string) => text.replace(/\\/g, '/');

/** Error messages quote the path: keep them readable when the input is huge or has NULs. */
function displayable(input: string): string {
  const visible = input.replace(/\0/g, '\\0');
  return visible.length > 200 ? `${visible.slice(0, 120)}…(${visible.length} characters)` : visible;
}
