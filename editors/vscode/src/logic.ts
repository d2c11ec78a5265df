// The extension's decisions that do not need VS Code: where the server binary is, what counts
// as a blocking finding, what the status bar says, and the settings sent to the server.
// Kept free of the `vscode` module so plain Node can test them.

import * as path from "node:path";

/** What the extension knows when it looks for the `redline` binary. */
export interface LocateInput {
  /** The `redline.server.path` setting; empty when unset. */
  configured: string;
  /** The folder a bundled binary would be in (`<extension>/server`). */
  bundledDir: string;
  /** The `PATH` environment variable. */
  envPath: string | undefined;
  /** The `PATHEXT` environment variable (Windows). */
  pathExt?: string | undefined;
  /** The platform, as `process.platform`. */
  platform: string;
  /** Whether a file exists and can be run. */
  exists: (file: string) => boolean;
}

/** Where the binary was found, or why it was not. */
export type Located =
  | { kind: "found"; path: string; source: "configured" | "bundled" | "PATH" }
  | { kind: "configured-missing"; path: string }
  | { kind: "missing" };

/**
 * Finds the server: the configured path when one is set (and nothing else, so a typo is
 * reported rather than silently replaced), else the binary bundled with the extension, else
 * `redline` on PATH, searched the way a shell would (on Windows: with each PATHEXT extension,
 * and quotes around a folder dropped).
 */
export function locateServer(input: LocateInput): Located {
  const p = input.platform === "win32" ? path.win32 : path.posix;
  if (input.configured.trim() !== "") {
    const configured = input.configured.trim();
    return input.exists(configured)
      ? { kind: "found", path: configured, source: "configured" }
      : { kind: "configured-missing", path: configured };
  }
  const exe = input.platform === "win32" ? "redline.exe" : "redline";
  const bundled = p.join(input.bundledDir, exe);
  if (input.exists(bundled)) {
    return { kind: "found", path: bundled, source: "bundled" };
  }
  const separator = input.platform === "win32" ? ";" : ":";
  const extensions =
    input.platform === "win32"
      ? (input.pathExt ?? ".EXE;.CMD;.BAT").split(";").filter((e) => e !== "")
      : [""];
  for (const entry of (input.envPath ?? "").split(separator)) {
    const dir = input.platform === "win32" ? entry.replace(/^"(.*)"$/, "$1") : entry;
    if (dir === "") {
      continue;
    }
    for (const ext of extensions) {
      const candidate = p.join(dir, "redline" + ext.toLowerCase());
      if (input.exists(candidate)) {
        return { kind: "found", path: candidate, source: "PATH" };
      }
    }
  }
  return { kind: "missing" };
}

const INSTALL_HINT =
  "Install it with `cargo install --path crates/redline-cli` from the redline repository, " +
  "put it on PATH, or set redline.server.path.";

/**
 * What to tell the user when the server cannot be run: a configured path that is not there
 * is named, so a typo in the setting is easy to spot; otherwise how to get the binary.
 */
export function missingServerMessage(located: Exclude<Located, { kind: "found" }>): string {
  return located.kind === "configured-missing"
    ? `redline: redline.server.path is ${located.path}, but there is no runnable file there. ${INSTALL_HINT}`
    : `redline: could not find the redline language server. ${INSTALL_HINT}`;
}

/** The parts of a diagnostic the status bar looks at. */
export interface DiagnosticLike {
  source?: string;
  /** VS Code's severity: 0 error, 1 warning, 2 information, 3 hint. */
  severity: number;
  /** The server's `data`: `{ blocking: boolean }` for redline's diagnostics. */
  data?: unknown;
}

/**
 * Whether a diagnostic would stop the send gate. The server says so in `data.blocking`, at
 * the fail-on level in force for that draft; without it, errors block.
 */
export function isBlocking(d: DiagnosticLike): boolean {
  if (d.source !== "redline") {
    return false;
  }
  const data = d.data as { blocking?: unknown } | undefined;
  if (data !== null && typeof data === "object" && typeof data.blocking === "boolean") {
    return data.blocking;
  }
  return d.severity === 0;
}

/** Blocking findings per document, as the server publishes them. */
export class BlockingCounts {
  private readonly byUri = new Map<string, number>();

  /** Records the diagnostics just published for `uri` (an empty list clears it). */
  set(uri: string, diagnostics: readonly DiagnosticLike[]): void {
    const n = diagnostics.filter(isBlocking).length;
    if (n === 0) {
      this.byUri.delete(uri);
    } else {
      this.byUri.set(uri, n);
    }
  }

  /** Forgets everything (the server stopped). */
  clear(): void {
    this.byUri.clear();
  }

  /** Blocking findings across all documents. */
  total(): number {
    let sum = 0;
    for (const n of this.byUri.values()) {
      sum += n;
    }
    return sum;
  }

  /** Documents with at least one blocking finding. */
  documents(): number {
    return this.byUri.size;
  }
}

/** The status-bar item's text and tooltip for a count. */
export function statusText(counts: BlockingCounts): { text: string; tooltip: string } {
  const n = counts.total();
  if (n === 0) {
    return {
      text: "$(check) redline",
      tooltip: "redline: nothing would block sending",
    };
  }
  const findings = n === 1 ? "1 blocking finding" : `${n} blocking findings`;
  const docs = counts.documents() === 1 ? "1 draft" : `${counts.documents()} drafts`;
  return {
    text: `$(error) redline: ${n} blocking`,
    tooltip: `redline: ${findings} in ${docs} would block sending. Click for the Problems view.`,
  };
}

/**
 * The extension's settings sent to the server, as read from the `redline` section: the keys of
 * `.redline.toml` under the same names, plus `debounce_ms`. A new config key is one field here,
 * one line in `serverOptions`, and one entry in package.json.
 */
export interface Settings {
  /** `""` leaves it to the `.redline.toml`. */
  fail_on: string;
  disable: string[];
  enable: string[];
  severity: Record<string, string>;
  packs: string[];
  allow: string[];
  /** `""` leaves it to the `.redline.toml`. */
  voice: string;
  debounce_ms: number;
}

/** The settings object the server reads, at startup and whenever a setting changes. */
export function serverOptions(settings: Settings): { redline: Record<string, unknown> } {
  return {
    redline: {
      fail_on: settings.fail_on === "" ? null : settings.fail_on,
      disable: [...settings.disable],
      enable: [...settings.enable],
      severity: { ...settings.severity },
      packs: [...settings.packs],
      allow: [...settings.allow],
      voice: settings.voice === "" ? null : settings.voice,
      debounce_ms: Math.max(0, Math.round(settings.debounce_ms)),
    },
  };
}

/** A one-line summary of a check-all answer from the server. */
export function workspaceSummary(answer: {
  files: number;
  findings: number;
  blocking: number;
  errors: string[];
}): string {
  const drafts = answer.files === 1 ? "1 draft" : `${answer.files} drafts`;
  const findings = answer.findings === 1 ? "1 finding" : `${answer.findings} findings`;
  const problems =
    answer.errors.length === 0
      ? ""
      : `; ${answer.errors.length} file(s) could not be read (see the redline output)`;
  return `redline checked ${drafts}: ${findings}, ${answer.blocking} blocking${problems}.`;
}
