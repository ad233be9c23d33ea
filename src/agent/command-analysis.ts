// What a command line would run and how the person's rules judged each part: the contract
// between the shell parser (safety/command-line.ts), the rules (safety/command-rules.ts), the
// run_command preview and the dialogs that show it.

/**
 * One command a command line would run. `words` are its name and arguments as the shell would
 * pass them (quotes and backslashes removed); absent when they cannot be known before it runs
 * (a name from `$VAR`, the text of `eval $x`, a shell reading its script from stdin), and then
 * `unknown` says why: such a part can only be asked about.
 */
export interface CommandPart {
  /** As written in the line (for the dialog). */
  readonly text: string;
  /** The words; one known only when it runs (`$X`, `$(…)`) is `…` here and listed in `dynamic`. */
  readonly words?: readonly string[];
  /** Indexes into `words` of the words known only when it runs. */
  readonly dynamic?: readonly number[];
  readonly unknown?: string;
}

/** What a command line would do, as far as a shell parser can tell without running it. */
export type CommandLineAnalysis =
  | {
      readonly readable: true;
      readonly parts: readonly CommandPart[];
      /** Files the line writes through redirections (`> f`, `>> f`, `&> f`), as written. */
      readonly writes: readonly string[];
    }
  | { readonly readable: false; readonly problem: string };

export type PartVerdict = 'allowed' | 'denied' | 'unmatched' | 'unknown';

export interface JudgedPart {
  readonly text: string;
  readonly verdict: PartVerdict;
  /** The rule that matched (`allow: git status`, `deny: rm`), or why the part cannot be judged. */
  readonly why: string;
}
