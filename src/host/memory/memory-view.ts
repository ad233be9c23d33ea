import * as vscode from 'vscode';
import type { Fact } from '../../agent/memory/fact';
import type { FactStore } from '../../agent/memory/fact-store';
import { Disposable, toDisposable } from '../common/disposable';
import type { HostCommands } from '../common/host-commands';
import { clip, messageOf } from '../../agent/format';

const MAX_LABEL = 80;

/** The Memory tree (`glassbox.memory`) and the commands that show, search, add, edit and forget facts. */
export class MemoryView extends Disposable implements vscode.TreeDataProvider<Fact> {
  readonly #changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeTreeData = this.#changed.event;
  readonly #view: vscode.TreeView<Fact>;

  constructor(
    private readonly memory: FactStore,
    commands: HostCommands,
  ) {
    super();
    this.#view = this.register(vscode.window.createTreeView('glassbox.memory', { treeDataProvider: this }));
    this.register(toDisposable(memory.onDidChange(() => this.#refresh())));
    // Saved on the way out: recalls mark facts used and their saves are debounced.
    this.register(toDisposable(() => void memory.flush()));
    const memoryCommands: [string, (...args: never[]) => unknown][] = [
      ['glassbox.showMemory', () => vscode.commands.executeCommand('glassbox.memory.focus')],
      ['glassbox.forgetAllMemory', () => this.#forgetAll()],
      ['glassbox.memory.refresh', () => this.#refresh()],
      ['glassbox.memory.add', () => this.#add()],
      ['glassbox.memory.search', () => this.#search()],
      ['glassbox.memory.edit', (fact?: Fact) => this.#withFact(fact, 'Edit which fact?', (f) => this.#edit(f))],
      ['glassbox.memory.forget', (fact?: Fact) => this.#withFact(fact, 'Forget which fact?', (f) => this.#forget(f))],
    ];
    for (const [id, run] of memoryCommands) this.register(commands.register(id, run));
    this.#refresh();
  }

  getChildren(element?: Fact): Fact[] {
    return element ? [] : this.memory.list();
  }

  getTreeItem(fact: Fact): vscode.TreeItem {
    const item = new vscode.TreeItem(clip(fact.text, MAX_LABEL), vscode.TreeItemCollapsibleState.None);
    item.id = fact.id;
    item.description = [fact.global ? 'global' : '', ...(fact.tags ?? []).map((tag) => `#${tag}`)].filter(Boolean).join(' ');
    item.iconPath = new vscode.ThemeIcon(fact.global ? 'globe' : 'lightbulb');
    item.contextValue = fact.global ? 'fact-global' : 'fact';
    item.tooltip = tooltipOf(fact);
    item.accessibilityInformation = { label: `${fact.global ? 'Global fact' : 'Fact'}: ${fact.text}` };
    return item;
  }

  #refresh(): void {
    const count = this.memory.size;
    this.#view.description = count > 0 ? `${count} fact${count === 1 ? '' : 's'}` : undefined;
    this.#view.message =
      count === 0 ? 'Nothing remembered yet. The agent saves facts with its remember tool; add one yourself with +.' : undefined;
    this.#changed.fire();
  }

  async #add(): Promise<void> {
    const text = await vscode.window.showInputBox({
      title: 'Remember a Fact',
      prompt: 'One short, lasting fact for later chats (secrets are refused).',
      placeHolder: 'e.g. Integration tests need `docker compose up` first',
      validateInput: validateFactText,
      ignoreFocusOut: true,
    });
    if (text === undefined) return;
    const scope = await vscode.window.showQuickPick(
      [
        { label: 'This workspace', description: 'recalled only here', global: false },
        { label: 'Every workspace', description: 'kept in global memory', global: true },
      ],
      { title: 'Where should Glassbox recall it?' },
    );
    if (!scope) return;
    const result = await this.memory.remember(text, { global: scope.global });
    const redacted = result.redactions > 0 ? ` ${result.redactions} secret(s) were redacted.` : '';
    void vscode.window.showInformationMessage(`${result.merged ? 'Updated the existing fact' : 'Remembered'}: ${clip(result.fact.text, 60)}${redacted}`);
  }

  async #edit(fact: Fact): Promise<void> {
    const text = await vscode.window.showInputBox({
      title: 'Edit Fact',
      value: fact.text,
      validateInput: validateFactText,
      ignoreFocusOut: true,
    });
    if (text === undefined || text === fact.text) return;
    await this.memory.edit(fact.id, text);
  }

  async #forget(fact: Fact): Promise<void> {
    const choice = await vscode.window.showWarningMessage(
      'Forget this fact?',
      { modal: true, detail: `${fact.text}\n\nGlassbox will no longer recall it${fact.global ? ' in any workspace' : ''}.` },
      'Forget',
    );
    if (choice === 'Forget') this.memory.forget(fact.id);
  }

  async #forgetAll(): Promise<void> {
    const facts = this.memory.list();
    const local = facts.filter((fact) => !fact.global).length;
    const global = facts.length - local;
    if (facts.length === 0) {
      void vscode.window.showInformationMessage('Glassbox memory is already empty.');
      return;
    }
    const workspaceOnly = `Forget ${local} Workspace Fact${local === 1 ? '' : 's'}`;
    const everything = 'Forget Global Facts Too';
    const choice = await vscode.window.showWarningMessage(
      'Forget all memory?',
      {
        modal: true,
        detail: `This workspace has ${local} fact(s); ${global} global fact(s) are recalled in every workspace. This cannot be undone.`,
      },
      ...(local > 0 ? [workspaceOnly] : []),
      ...(global > 0 ? [everything] : []),
    );
    if (choice === undefined) return;
    const count = this.memory.forgetAll(choice === everything);
    await this.memory.flush();
    void vscode.window.showInformationMessage(`Forgot ${count} fact${count === 1 ? '' : 's'}.`);
  }

  /** A QuickPick searching as you type (lexical, plus vectors when configured); then act on the pick. */
  async #search(): Promise<void> {
    type FactPick = vscode.QuickPickItem & { fact: Fact };
    const picked = await new Promise<Fact | undefined>((resolve) => {
      const quickPick = vscode.window.createQuickPick<FactPick>();
      quickPick.title = 'Search Memory';
      quickPick.placeholder = 'Words to look for in remembered facts';
      quickPick.matchOnDescription = true;
      let search = 0;
      let timer: NodeJS.Timeout | undefined;
      const show = (facts: { fact: Fact; detail?: string }[]) => {
        quickPick.items = facts.map(({ fact, detail }) => ({ label: clip(fact.text, 120), description: fact.global ? 'global' : '', detail, fact, alwaysShow: true }));
        // Ranked by the memory's own search (which also matches by meaning): alwaysShow keeps
        // the QuickPick's label filter from hiding matches that share no letters with the query.
      };
      show(this.memory.list().map((fact) => ({ fact })));
      quickPick.onDidChangeValue((value) => {
        clearTimeout(timer);
        const mine = ++search;
        timer = setTimeout(() => {
          if (value.trim() === '') return show(this.memory.list().map((fact) => ({ fact })));
          quickPick.busy = true;
          this.memory
            .recallFacts(value, 30)
            .then((matches) => {
              if (mine === search) show(matches.map((m) => ({ fact: m.fact, detail: `score ${m.score.toFixed(2)} · ${m.why}` })));
            })
            .catch((error: unknown) => void vscode.window.showErrorMessage(`Memory search failed: ${messageOf(error)}`))
            .finally(() => {
              if (mine === search) quickPick.busy = false;
            });
        }, 150);
      });
      quickPick.onDidAccept(() => {
        resolve(quickPick.selectedItems[0]?.fact);
        quickPick.hide();
      });
      quickPick.onDidHide(() => {
        clearTimeout(timer);
        resolve(undefined);
        quickPick.dispose();
      });
      quickPick.show();
    });
    if (!picked) return;
    const action = await vscode.window.showQuickPick(['Edit', 'Forget', 'Copy Text'], { title: clip(picked.text, 80) });
    if (action === 'Edit') await this.#edit(picked);
    else if (action === 'Forget') await this.#forget(picked);
    else if (action === 'Copy Text') await vscode.env.clipboard.writeText(picked.text);
  }

  /** Commands run from the palette get no tree item: ask which fact. */
  async #withFact(fact: Fact | undefined, title: string, act: (fact: Fact) => Promise<void>): Promise<void> {
    const target = fact && this.memory.get(fact.id) ? fact : await this.#pickFact(title);
    if (target) await act(target);
  }

  async #pickFact(title: string): Promise<Fact | undefined> {
    const facts = this.memory.list();
    if (facts.length === 0) {
      void vscode.window.showInformationMessage('Glassbox memory is empty.');
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(
      facts.map((f) => ({ label: clip(f.text, 120), description: f.global ? 'global' : '', fact: f })),
      { title, matchOnDescription: true },
    );
    return pick?.fact;
  }
}

function tooltipOf(fact: Fact): vscode.MarkdownString {
  const tooltip = new vscode.MarkdownString();
  tooltip.appendText(fact.text);
  tooltip.appendMarkdown('\n\n---\n\n');
  tooltip.appendText(`Created: ${new Date(fact.created).toLocaleString()}\n`);
  tooltip.appendMarkdown('\n\n');
  tooltip.appendText(`Last used: ${new Date(fact.lastUsed).toLocaleString()}`);
  tooltip.appendMarkdown('\n\n');
  tooltip.appendText(`Source: ${fact.sourceChat ? `chat ${fact.sourceChat}` : 'added by hand or unknown'}`);
  tooltip.appendMarkdown('\n\n');
  tooltip.appendText(`Scope: ${fact.global ? 'every workspace' : 'this workspace'}`);
  if (fact.tags && fact.tags.length > 0) {
    tooltip.appendMarkdown('\n\n');
    tooltip.appendText(`Tags: ${fact.tags.join(', ')}`);
  }
  return tooltip;
}

function validateFactText(value: string): string | undefined {
  if (value.trim() === '') return 'State one fact.';
  if (value.length > 1_000) return `Keep it under 1,000 characters (now ${value.length}).`;
  return undefined;
}
