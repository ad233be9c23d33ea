/**
 * Ignore files as ripgrep reads them, for the Node walk: .rgignore, .ignore and .gitignore
 * in every folder, plus .git/info/exclude in a folder holding a .git.
 *
 * Precedence follows rg (the `ignore` crate): the kinds of file are ranked (.rgignore over
 * .ignore over .gitignore over exclude); within the first kind that has a verdict for a path,
 * the deepest folder decides. A verdict is "ignore" or, for a `!pattern`, "whitelist".
 */
import ignore, { type Ignore } from 'ignore';

export type IgnoreVerdict = 'ignore' | 'whitelist' | undefined;

/** Highest precedence first. `.git/info/exclude` is read at a folder that holds a `.git`. */
export const IGNORE_SOURCES = ['.rgignore', '.ignore', '.gitignore', '.git/info/exclude'] as const;
export type IgnoreSource = (typeof IGNORE_SOURCES)[number];

export class IgnoreRules {
  static readonly none = new IgnoreRules(undefined, '', new Map());

  private constructor(
    private readonly parent: IgnoreRules | undefined,
    /** Folder the rules belong to, relative to the walk's root ('' for the root). */
    private readonly base: string,
    private readonly matchers: ReadonlyMap<IgnoreSource, Ignore>,
  ) {}

  /** Rules for folder `base`: these plus the given ignore files found in it. */
  within(base: string, files: ReadonlyMap<IgnoreSource, string>): IgnoreRules {
    const matchers = new Map<IgnoreSource, Ignore>();
    for (const [source, text] of files) {
      if (text.trim() === '') continue;
      // git and rg match ignore rules case-sensitively; the package's default does not.
      matchers.set(source, ignore({ ignorecase: false }).add(text));
    }
    return matchers.size === 0 ? this : new IgnoreRules(this, base, matchers);
  }

  /** The verdict for `relativePath` (from the walk's root), or undefined when no rule speaks. */
  verdict(relativePath: string, isDirectory: boolean): IgnoreVerdict {
    for (const source of IGNORE_SOURCES) {
      const found = this.#verdictFrom(source, relativePath, isDirectory);
      if (found) return found;
    }
    return undefined;
  }

  #verdictFrom(source: IgnoreSource, relativePath: string, isDirectory: boolean): IgnoreVerdict {
    const matcher = this.matchers.get(source);
    if (matcher) {
      const local = this.base === '' ? relativePath : relativePath.slice(this.base.length + 1);
      const result = matcher.test(isDirectory ? `${local}/` : local);
      if (result.ignored) return 'ignore';
      if (result.unignored) return 'whitelist';
    }
    return this.parent ? this.parent.#verdictFrom(source, relativePath, isDirectory) : undefined;
  }
}
