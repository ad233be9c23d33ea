import picomatch from 'picomatch';

// Which workspace paths are protected (never written without a person's explicit yes, even
// with auto-approval) and which are sensitive (never read without asking).
//
// Every glob matches at any depth: `.vscode/**` also covers `api/.vscode/settings.json` in a
// multi-root workspace and a nested `packages/x/.vscode/…`. Matching ignores case, because on
// a case-insensitive file system (Windows, default macOS) `.VSCode/settings.json` *is*
// `.vscode/settings.json`. Dot files always match.

/**
 * Files that run code on the person's machine (or in their CI) without a command of theirs
 * saying so, derived from what runs where Glassbox works:
 * - VS Code: tasks, launch configs and settings (`.vscode/`, `*.code-workspace`), and dev
 *   containers (`.devcontainer/`, a root `.devcontainer.json`), which build and run on open;
 * - git, run by the person and by `run_command`: hooks and config in `.git/`, hook folders
 *   used through `core.hooksPath` (`.husky/`, `.githooks/`; the configured one is added at run
 *   start), and hook managers (`.pre-commit-config.yaml`, `lefthook.yml`);
 * - CI: GitHub (workflows and local actions), GitLab, CircleCI, Azure Pipelines, Jenkins,
 *   Buildkite, Travis, Bitbucket, Drone, Woodpecker, AppVeyor, Gitpod's start tasks;
 * - package managers, run by `npm test` and the like: `.npmrc` (script-shell, node-options),
 *   `.yarnrc.yml` (yarnPath), `.pnpmfile.cjs`, `bunfig.toml` (preload);
 * - shells entering the folder: direnv's `.envrc`, mise's `.mise.toml`.
 * package.json scripts and Makefiles are not here: they run only when a person or an approved
 * `run_command` runs them, and protecting them would make every dependency edit ask.
 */
export const BUILTIN_PROTECTED_GLOBS: readonly string[] = [
  '.vscode/**',
  '**/*.code-workspace',
  '.devcontainer/**',
  '.devcontainer.json',
  '.git/**',
  '.husky/**',
  '.githooks/**',
  '.pre-commit-config.yaml',
  'lefthook.yml',
  'lefthook.yaml',
  '.lefthook.yml',
  '.github/workflows/**',
  '.github/actions/**',
  '.gitlab-ci.yml',
  '.gitlab-ci.yaml',
  '.gitlab/ci/**',
  '.circleci/**',
  'azure-pipelines*.yml',
  'azure-pipelines*.yaml',
  '.azure-pipelines/**',
  'Jenkinsfile',
  '*.Jenkinsfile',
  '.buildkite/**',
  '.travis.yml',
  'bitbucket-pipelines.yml',
  '.drone.yml',
  '.woodpecker.yml',
  '.woodpecker/**',
  'appveyor.yml',
  '.appveyor.yml',
  '.gitpod.yml',
  '.npmrc',
  '.yarnrc',
  '.yarnrc.yml',
  '.pnpmfile.cjs',
  'bunfig.toml',
  '.envrc',
  '.mise.toml',
];

/**
 * Files that run code when a person or an approved command builds, tests or installs: package
 * scripts, make and task runners, build files, shell scripts, container recipes, test hooks.
 * Not protected (editing them is ordinary work), but an edit of one that follows outside content
 * needs a person: `"test": "curl … | sh"` is what injected text would ask for.
 */
export const BUILTIN_RUNS_CODE_GLOBS: readonly string[] = [
  'package.json',
  'Makefile',
  'makefile',
  'GNUmakefile',
  '*.mk',
  'justfile',
  'Justfile',
  'Taskfile.yml',
  'Taskfile.yaml',
  'Rakefile',
  '*.sh',
  '*.bash',
  '*.zsh',
  '*.fish',
  '*.ps1',
  '*.bat',
  '*.cmd',
  'Dockerfile',
  '*.dockerfile',
  'docker-compose*.yml',
  'docker-compose*.yaml',
  'compose.yml',
  'compose.yaml',
  'setup.py',
  'setup.cfg',
  'pyproject.toml',
  'conftest.py',
  'noxfile.py',
  'tox.ini',
  'CMakeLists.txt',
  'build.gradle',
  'build.gradle.kts',
  'settings.gradle',
  'settings.gradle.kts',
  'pom.xml',
  'build.rs',
  'Cargo.toml',
  'go.mod',
  'Gemfile',
  '*.gemspec',
  'Procfile',
  '.bashrc',
  '.zshrc',
  '.profile',
  '.bash_profile',
];

/** Files that commonly hold credentials. */
export const BUILTIN_SENSITIVE_GLOBS: readonly string[] = [
  '**/.env*',
  '**/*.pem',
  '**/*.key',
  '**/id_rsa*',
  '**/.npmrc',
  '**/.netrc',
];

export interface PathRules {
  isProtected(path: string): boolean;
  isSensitive(path: string): boolean;
  /** A file that runs code when the project is built, tested or installed (BUILTIN_RUNS_CODE_GLOBS). */
  runsCode(path: string): boolean;
  /** The protected ones among `paths`, in their given spelling, without duplicates. */
  protectedAmong(paths: readonly string[]): string[];
  sensitiveAmong(paths: readonly string[]): string[];
}

export interface PathRuleSettings {
  /** Extra protected globs (settings: glassbox.protectedPaths). */
  readonly protectedPaths?: readonly string[];
  /** Extra sensitive globs (settings: glassbox.sensitivePaths). */
  readonly sensitivePaths?: readonly string[];
}

type Matcher = (path: string) => boolean;

// windows: false everywhere: paths are normalized to `/` first, on every platform.
// The policy runs on every tool call with the same settings: compile each glob list once.
const compiled = new Map<string, Matcher>();

function matcherFor(globs: readonly string[]): Matcher {
  const key = JSON.stringify(globs);
  let matcher = compiled.get(key);
  if (!matcher) {
    const anchored = globs.map(anyDepth).filter((glob) => glob.length > 0);
    matcher = anchored.length === 0 ? () => false : picomatch(anchored, { dot: true, nocase: true, windows: false });
    if (compiled.size > 100) compiled.clear(); // settings change rarely; never grow without bound
    compiled.set(key, matcher);
  }
  return matcher;
}

/** `.vscode/**` → `**\/.vscode/**`: a glob matches below any folder, root names included. */
function anyDepth(glob: string): string {
  let pattern = glob.trim().replace(/\\/g, '/');
  while (pattern.startsWith('./')) pattern = pattern.slice(2);
  pattern = pattern.replace(/^\/+/, '');
  if (pattern.length === 0) return '';
  return pattern.startsWith('**/') || pattern === '**' ? pattern : `**/${pattern}`;
}

/**
 * The spellings of `path` the rules are checked against. Besides the plain normalized form,
 * a Windows view strips what Windows itself ignores in a name, so `.vscode./settings.json`,
 * `.vscode /settings.json` and `settings.json::$DATA` cannot slip past a rule.
 */
export function ruleCandidates(path: string): string[] {
  const segments: string[] = [];
  for (const segment of path.normalize('NFC').replace(/\\/g, '/').split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const plain = segments.join('/');
  const windows = segments
    .map((segment) => {
      const stream = segment.indexOf(':');
      const name = stream > 0 ? segment.slice(0, stream) : segment;
      return name.replace(/[. ]+$/, '') || name;
    })
    .join('/');
  return windows === plain ? [plain] : [plain, windows];
}

export function createPathRules(settings: PathRuleSettings = {}): PathRules {
  const isProtected = matchesAny(matcherFor([...BUILTIN_PROTECTED_GLOBS, ...(settings.protectedPaths ?? [])]));
  const isSensitive = matchesAny(matcherFor([...BUILTIN_SENSITIVE_GLOBS, ...(settings.sensitivePaths ?? [])]));
  const runsCode = matchesAny(matcherFor(BUILTIN_RUNS_CODE_GLOBS));
  return {
    isProtected,
    isSensitive,
    runsCode,
    protectedAmong: (paths) => unique(paths.filter(isProtected)),
    sensitiveAmong: (paths) => unique(paths.filter(isSensitive)),
  };
}

function matchesAny(matcher: Matcher): (path: string) => boolean {
  return (path) => ruleCandidates(path).some((candidate) => candidate.length > 0 && matcher(candidate));
}

function unique(paths: string[]): string[] {
  return [...new Set(paths)];
}
