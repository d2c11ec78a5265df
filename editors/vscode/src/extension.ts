// redline in VS Code: starts `redline lsp` for plain-text, Markdown and email drafts, counts
// the findings that would block sending in the status bar, and adds commands to restart the
// server, explain a rule and check every draft in the workspace.

import * as fs from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import {
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
  TransportKind,
} from "vscode-languageclient/node";
import {
  BlockingCounts,
  Settings,
  locateServer,
  missingServerMessage,
  serverOptions,
  statusText,
  workspaceSummary,
} from "./logic";

/** The server's command that explains a rule. */
const EXPLAIN = "redline.lsp.explain";
/** The server's command that checks every draft in given folders. */
const CHECK_WORKSPACE = "redline.lsp.checkWorkspace";
/** The scheme of the read-only explanation pages. */
const EXPLAIN_SCHEME = "redline-explain";
/** The buttons offered when the server binary cannot be found. */
const OPEN_SETTINGS = "Open Settings";
const SHOW_INSTALL = "Show install instructions";

let client: LanguageClient | undefined;
const counts = new BlockingCounts();
let status: vscode.StatusBarItem;
let output: vscode.OutputChannel;
/** Explanation pages by URI path, served read-only under `EXPLAIN_SCHEME`. */
const pages = new Map<string, string>();
const pageChanged = new vscode.EventEmitter<vscode.Uri>();

/** Sets up the output channel, status bar and commands, then starts the server. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("redline");
  status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 100);
  status.command = "workbench.actions.view.problems";
  context.subscriptions.push(
    output,
    status,
    pageChanged,
    vscode.workspace.registerTextDocumentContentProvider(EXPLAIN_SCHEME, {
      onDidChange: pageChanged.event,
      provideTextDocumentContent: (uri) => pages.get(uri.path) ?? "",
    }),
    vscode.commands.registerCommand("redline.restartServer", () => restart(context)),
    vscode.commands.registerCommand("redline.explainRule", explainRule),
    vscode.commands.registerCommand("redline.checkWorkspace", checkWorkspace),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration("redline.server.path")) {
        await restart(context);
      } else if (e.affectsConfiguration("redline") && client !== undefined) {
        // Only the server's own settings, not the whole section (server.path is ours).
        await client.sendNotification(DidChangeConfigurationNotification.type, {
          settings: serverOptions(settings()),
        });
      }
    }),
  );
  await start(context);
}

/** Stops the server when VS Code shuts the extension down. */
export async function deactivate(): Promise<void> {
  await stop();
}

/** The `redline` settings as they are now. */
function settings(): Settings {
  const c = vscode.workspace.getConfiguration("redline");
  return {
    fail_on: c.get<string>("fail_on", ""),
    disable: c.get<string[]>("disable", []),
    enable: c.get<string[]>("enable", []),
    severity: c.get<Record<string, string>>("severity", {}),
    packs: c.get<string[]>("packs", []),
    allow: c.get<string[]>("allow", []),
    voice: c.get<string>("voice", ""),
    debounce_ms: c.get<number>("debounce_ms", 5),
  };
}

/**
 * Makes a bundled binary runnable: an installer that drops file modes would otherwise leave
 * it unusable and send the search on to PATH.
 */
function ensureExecutable(file: string): void {
  try {
    fs.accessSync(file, fs.constants.X_OK);
  } catch {
    try {
      fs.chmodSync(file, 0o755);
    } catch {
      // Not there, or not ours to change: the search below reports what it finds.
    }
  }
}

/** Finds the binary, telling the user how to get one when it cannot. */
async function serverBinary(context: vscode.ExtensionContext): Promise<string | undefined> {
  if (process.platform !== "win32") {
    ensureExecutable(path.join(context.extensionPath, "server", "redline"));
  }
  const located = locateServer({
    configured: vscode.workspace.getConfiguration("redline").get<string>("server.path", ""),
    bundledDir: path.join(context.extensionPath, "server"),
    envPath: process.env.PATH,
    pathExt: process.env.PATHEXT,
    platform: process.platform,
    exists: (file) => {
      try {
        fs.accessSync(file, fs.constants.X_OK);
        return fs.statSync(file).isFile();
      } catch {
        return false;
      }
    },
  });
  if (located.kind === "found") {
    output.appendLine(`redline: using ${located.path} (${located.source})`);
    return located.path;
  }
  void offerHelp(missingServerMessage(located), context);
  return undefined;
}

/**
 * Says the server cannot be found and acts on the button the user picks. Not awaited by its
 * caller, so activation does not wait for the user to dismiss the message.
 */
async function offerHelp(message: string, context: vscode.ExtensionContext): Promise<void> {
  const choice = await vscode.window.showErrorMessage(message, OPEN_SETTINGS, SHOW_INSTALL);
  if (choice === OPEN_SETTINGS) {
    await vscode.commands.executeCommand("workbench.action.openSettings", "redline.server.path");
  } else if (choice === SHOW_INSTALL) {
    await showMarkdown(vscode.Uri.file(readme(context.extensionPath)));
  }
}

/**
 * The extension's README, which says how to install the server. `vsce` ships it as
 * `readme.md`; a checkout has `README.md`, and the difference matters on case-sensitive disks.
 */
function readme(extensionPath: string): string {
  const packaged = path.join(extensionPath, "readme.md");
  return fs.existsSync(packaged) ? packaged : path.join(extensionPath, "README.md");
}

/**
 * Shows a Markdown document rendered beside the editor, or as text when the built-in
 * Markdown preview is not available (disabled, or a minimal VS Code build).
 */
async function showMarkdown(uri: vscode.Uri): Promise<void> {
  try {
    await vscode.commands.executeCommand("markdown.showPreviewToSide", uri);
  } catch {
    await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.Beside });
  }
}

/** Starts `redline lsp` for the draft languages, unless the binary cannot be found. */
async function start(context: vscode.ExtensionContext): Promise<void> {
  const command = await serverBinary(context);
  if (command === undefined) {
    showStatus();
    return;
  }
  const server: ServerOptions = { command, args: ["lsp"], transport: TransportKind.stdio };
  const languages = ["plaintext", "markdown", "email"];
  const options: LanguageClientOptions = {
    documentSelector: languages.flatMap((language) => [
      { scheme: "file", language },
      { scheme: "untitled", language },
    ]),
    initializationOptions: serverOptions(settings()),
    outputChannel: output,
    middleware: {
      handleDiagnostics: (uri, diagnostics, next) => {
        counts.set(uri.toString(), diagnostics);
        showStatus();
        next(uri, diagnostics);
      },
    },
  };
  client = new LanguageClient("redline", "redline", server, options);
  client.onDidChangeState((change) => {
    if (change.newState !== State.Running) {
      counts.clear();
    }
    showStatus();
  });
  try {
    await client.start();
  } catch (e) {
    client = undefined;
    void vscode.window.showErrorMessage(
      `redline: the language server at ${command} did not start: ${errorText(e)}`,
    );
  }
  showStatus();
}

/** Stops the server, if running, and forgets its counts. */
async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  counts.clear();
  if (running !== undefined) {
    await running.stop();
  }
}

/** Stops the server and starts it again, finding the binary afresh. */
async function restart(context: vscode.ExtensionContext): Promise<void> {
  await stop();
  await start(context);
}

/** Shows the blocking count, or that the server is not running. */
function showStatus(): void {
  if (client === undefined || !client.isRunning()) {
    status.text = "$(warning) redline: off";
    status.tooltip = "redline: the language server is not running";
  } else {
    const { text, tooltip } = statusText(counts);
    status.text = text;
    status.tooltip = tooltip;
  }
  status.show();
}

/** The redline rule under the cursor, if a finding is there. */
function ruleAtCursor(): string | undefined {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined) {
    return undefined;
  }
  const at = editor.selection.active;
  const found = vscode.languages
    .getDiagnostics(editor.document.uri)
    .find((d) => d.source === "redline" && d.range.contains(at));
  const code = found?.code;
  if (typeof code === "string") {
    return code;
  }
  return typeof code === "object" ? String(code.value) : undefined;
}

/**
 * Explains a rule: the one given, else the finding under the cursor, else one the user names.
 * The server renders the page; it opens as a read-only Markdown preview.
 */
async function explainRule(rule?: unknown): Promise<void> {
  if (client === undefined) {
    void vscode.window.showWarningMessage("redline: the language server is not running.");
    return;
  }
  const id =
    (typeof rule === "string" ? rule : undefined) ??
    ruleAtCursor() ??
    (await vscode.window.showInputBox({
      prompt: "Rule id to explain",
      placeHolder: "corporate-ai.wanted-to-reach-out",
    }));
  if (id === undefined || id.trim() === "") {
    return;
  }
  try {
    const answer = (await client.sendRequest(ExecuteCommandRequest.type, {
      command: EXPLAIN,
      arguments: [id.trim()],
    })) as { markdown: string };
    const page = vscode.Uri.from({ scheme: EXPLAIN_SCHEME, path: `/${id.trim()}.md` });
    pages.set(page.path, answer.markdown);
    pageChanged.fire(page);
    await showMarkdown(page);
  } catch (e) {
    void vscode.window.showErrorMessage(`redline: ${errorText(e)}`);
  }
}

/** Has the server check every draft in the workspace folders and summarises the result. */
async function checkWorkspace(): Promise<void> {
  const running = client;
  if (running === undefined) {
    void vscode.window.showWarningMessage("redline: the language server is not running.");
    return;
  }
  const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.toString());
  if (folders.length === 0) {
    void vscode.window.showInformationMessage("redline: open a folder to check its drafts.");
    return;
  }
  try {
    const answer = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: "redline: checking drafts…" },
      () =>
        running.sendRequest(ExecuteCommandRequest.type, {
          command: CHECK_WORKSPACE,
          arguments: folders,
        }) as Promise<{ files: number; findings: number; blocking: number; errors: string[] }>,
    );
    for (const problem of answer.errors) {
      output.appendLine(`redline: ${problem}`);
    }
    void vscode.window.showInformationMessage(workspaceSummary(answer));
  } catch (e) {
    void vscode.window.showErrorMessage(`redline: ${errorText(e)}`);
  }
}

/** The message of a failed request or start, for an error notification. */
function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
