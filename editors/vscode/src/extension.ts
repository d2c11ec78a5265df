// redline in VS Code: starts `redline lsp` for plain-text, Markdown and email drafts, counts
// the findings that would block sending in the status bar, and adds commands to restart the
// server, explain a rule and check every draft in the workspace.

import * as fs from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import {
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";
import {
  BlockingCounts,
  Settings,
  locateServer,
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

const INSTALL_HINT =
  "Install it with `cargo install --path crates/redline-cli` from the redline repository, " +
  "put it on PATH, or set redline.server.path.";

let client: LanguageClient | undefined;
const counts = new BlockingCounts();
let status: vscode.StatusBarItem;
let output: vscode.OutputChannel;
const pages = new Map<string, string>();

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("redline");
  status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 100);
  status.command = "workbench.actions.view.problems";
  context.subscriptions.push(
    output,
    status,
    vscode.workspace.registerTextDocumentContentProvider(EXPLAIN_SCHEME, {
      provideTextDocumentContent: (uri) => pages.get(uri.path) ?? "",
    }),
    vscode.commands.registerCommand("redline.restartServer", () => restart(context)),
    vscode.commands.registerCommand("redline.explainRule", explainRule),
    vscode.commands.registerCommand("redline.checkWorkspace", checkWorkspace),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration("redline.server.path")) {
        await restart(context);
      }
    }),
  );
  await start(context);
}

export async function deactivate(): Promise<void> {
  await stop();
}

function settings(): Settings {
  const c = vscode.workspace.getConfiguration("redline");
  return {
    failOn: c.get<string>("failOn", ""),
    disabledRules: c.get<string[]>("disabledRules", []),
    extraPacks: c.get<string[]>("extraPacks", []),
    debounceMs: c.get<number>("debounceMs", 5),
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
  const message =
    located.kind === "configured-missing"
      ? `redline: redline.server.path is ${located.path}, but there is no runnable file there. ${INSTALL_HINT}`
      : `redline: could not find the redline language server. ${INSTALL_HINT}`;
  const choice = await vscode.window.showErrorMessage(message, "Open Settings");
  if (choice === "Open Settings") {
    await vscode.commands.executeCommand("workbench.action.openSettings", "redline.server.path");
  }
  return undefined;
}

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
    synchronize: { configurationSection: "redline" },
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
  try {
    await client.start();
  } catch (e) {
    client = undefined;
    void vscode.window.showErrorMessage(
      `redline: the language server at ${command} did not start: ${String(e)}`,
    );
  }
  showStatus();
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  counts.clear();
  if (running !== undefined) {
    await running.stop();
  }
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  await stop();
  await start(context);
}

function showStatus(): void {
  if (client === undefined) {
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

async function explainRule(rule?: string): Promise<void> {
  if (client === undefined) {
    void vscode.window.showWarningMessage("redline: the language server is not running.");
    return;
  }
  const id =
    rule ??
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
    const page = `/${id.trim()}.md`;
    pages.set(page, answer.markdown);
    const uri = vscode.Uri.from({ scheme: EXPLAIN_SCHEME, path: page });
    await vscode.commands.executeCommand("markdown.showPreviewToSide", uri);
  } catch (e) {
    void vscode.window.showErrorMessage(`redline: ${e instanceof Error ? e.message : String(e)}`);
  }
}

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
}
