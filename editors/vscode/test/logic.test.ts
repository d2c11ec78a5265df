// The extension's decisions, tested under plain Node: finding the server, counting blocking
// findings, the status bar's words, and the settings sent to the server.

import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  BlockingCounts,
  isBlocking,
  locateServer,
  missingServerMessage,
  serverOptions,
  Settings,
  statusText,
  workspaceSummary,
} from "../src/logic";

const onDisk = (...files: string[]) => (file: string) => files.includes(file);

test("a configured path that does not exist is reported, not replaced by PATH", () => {
  const found = locateServer({
    configured: "/opt/redlin/redline",
    bundledDir: "/ext/server",
    envPath: "/usr/bin",
    platform: "linux",
    exists: onDisk("/usr/bin/redline", "/ext/server/redline"),
  });
  assert.deepEqual(found, { kind: "configured-missing", path: "/opt/redlin/redline" });
});

test("a configured path that exists is used", () => {
  const found = locateServer({
    configured: " /opt/redline/redline ",
    bundledDir: "/ext/server",
    envPath: "/usr/bin",
    platform: "linux",
    exists: onDisk("/opt/redline/redline"),
  });
  assert.deepEqual(found, { kind: "found", path: "/opt/redline/redline", source: "configured" });
});

test("the bundled binary comes before PATH", () => {
  const found = locateServer({
    configured: "",
    bundledDir: "/ext/server",
    envPath: "/usr/bin",
    platform: "linux",
    exists: onDisk("/usr/bin/redline", "/ext/server/redline"),
  });
  assert.deepEqual(found, { kind: "found", path: "/ext/server/redline", source: "bundled" });
});

test("PATH is searched in order, skipping empty entries", () => {
  const found = locateServer({
    configured: "",
    bundledDir: "/ext/server",
    envPath: "::/home/sam/.cargo/bin:/usr/bin",
    platform: "linux",
    exists: onDisk("/usr/bin/redline", "/home/sam/.cargo/bin/redline"),
  });
  assert.deepEqual(found, {
    kind: "found",
    path: "/home/sam/.cargo/bin/redline",
    source: "PATH",
  });
});

test("on Windows the bundled binary is redline.exe and PATH uses PATHEXT", () => {
  const bundled = locateServer({
    configured: "",
    bundledDir: "C:\\ext\\server",
    envPath: "C:\\bin",
    platform: "win32",
    exists: onDisk("C:\\ext\\server\\redline.exe"),
  });
  assert.deepEqual(bundled, {
    kind: "found",
    path: "C:\\ext\\server\\redline.exe",
    source: "bundled",
  });
  const onPath = locateServer({
    configured: "",
    bundledDir: "C:\\ext\\server",
    envPath: "C:\\tools;C:\\cargo\\bin",
    pathExt: ".COM;.EXE",
    platform: "win32",
    exists: onDisk("C:\\cargo\\bin\\redline.exe"),
  });
  assert.deepEqual(onPath, { kind: "found", path: "C:\\cargo\\bin\\redline.exe", source: "PATH" });
});

test("on Windows each PATH folder (quoted or not) is tried with every PATHEXT extension first", () => {
  const found = locateServer({
    configured: "",
    bundledDir: "C:\\ext\\server",
    envPath: "C:\\tools;C:\\cargo\\bin",
    pathExt: ".COM;.EXE",
    platform: "win32",
    exists: onDisk("C:\\cargo\\bin\\redline.com", "C:\\tools\\redline.exe"),
  });
  assert.deepEqual(found, { kind: "found", path: "C:\\tools\\redline.exe", source: "PATH" });
  const quoted = locateServer({
    configured: "",
    bundledDir: "C:\\ext\\server",
    envPath: '"C:\\Program Files\\redline";C:\\bin',
    pathExt: ".EXE",
    platform: "win32",
    exists: onDisk("C:\\Program Files\\redline\\redline.exe"),
  });
  assert.deepEqual(quoted, {
    kind: "found",
    path: "C:\\Program Files\\redline\\redline.exe",
    source: "PATH",
  });
  const withoutPathExt = locateServer({
    configured: "",
    bundledDir: "C:\\ext\\server",
    envPath: "C:\\cargo\\bin",
    platform: "win32",
    exists: onDisk("C:\\cargo\\bin\\redline.exe"),
  });
  assert.deepEqual(withoutPathExt, {
    kind: "found",
    path: "C:\\cargo\\bin\\redline.exe",
    source: "PATH",
  });
});

test("nothing anywhere is missing", () => {
  const found = locateServer({
    configured: "",
    bundledDir: "/ext/server",
    envPath: undefined,
    platform: "linux",
    exists: () => false,
  });
  assert.deepEqual(found, { kind: "missing" });
});

test("the missing-server message names a mistyped path, else says how to install", () => {
  const typo = missingServerMessage({ kind: "configured-missing", path: "/opt/redlin/redline" });
  assert.match(typo, /redline\.server\.path is \/opt\/redlin\/redline, but there is no runnable file/);
  assert.equal(
    missingServerMessage({ kind: "missing" }),
    "redline: could not find the redline language server. Install it with " +
      "`cargo install --path crates/redline-cli` from the redline repository, put it on PATH, " +
      "or set redline.server.path.",
  );
});

test("blocking follows the server's flag, else errors block, and only redline's count", () => {
  assert.equal(isBlocking({ source: "redline", severity: 1, data: { blocking: true } }), true);
  assert.equal(isBlocking({ source: "redline", severity: 0, data: { blocking: false } }), false);
  assert.equal(isBlocking({ source: "redline", severity: 0 }), true);
  assert.equal(isBlocking({ source: "redline", severity: 1 }), false);
  assert.equal(isBlocking({ source: "redline", severity: 0, data: null }), true);
  assert.equal(isBlocking({ source: "redline", severity: 0, data: { blocking: "no" } }), true);
  assert.equal(isBlocking({ source: "cSpell", severity: 0 }), false);
});

test("counts add up across drafts and clear when a draft's findings go", () => {
  const counts = new BlockingCounts();
  const error = { source: "redline", severity: 0, data: { blocking: true } };
  const advice = { source: "redline", severity: 2, data: { blocking: false } };
  counts.set("file:///a.txt", [error, error, advice]);
  counts.set("file:///b.md", [error]);
  assert.equal(counts.total(), 3);
  assert.equal(counts.documents(), 2);
  counts.set("file:///a.txt", [advice]);
  assert.equal(counts.total(), 1);
  counts.set("file:///b.md", []);
  assert.equal(counts.total(), 0);
  assert.equal(counts.documents(), 0);
});

test("the status bar names the count, or says all is clear", () => {
  const counts = new BlockingCounts();
  assert.equal(statusText(counts).text, "$(check) redline");
  counts.set("file:///a.txt", [{ source: "redline", severity: 0 }]);
  assert.equal(statusText(counts).text, "$(error) redline: 1 blocking");
  assert.match(statusText(counts).tooltip, /1 blocking finding in 1 draft would block/);
  counts.set("file:///b.txt", [
    { source: "redline", severity: 0 },
    { source: "redline", severity: 0 },
  ]);
  assert.match(statusText(counts).tooltip, /3 blocking findings in 2 drafts/);
});

/** Every setting at its default: what a user who changed nothing sends. */
const UNSET: Settings = {
  fail_on: "",
  disable: [],
  enable: [],
  severity: {},
  packs: [],
  allow: [],
  voice: "",
  debounce_ms: 5,
};

test("settings reach the server under the redline key, named as in .redline.toml", () => {
  const options = serverOptions({
    fail_on: "warning",
    disable: ["corporate-ai.long-draft"],
    enable: ["corporate-ai.off-by-default"],
    severity: { "corporate-ai.hype-verbs": "info" },
    packs: ["/team/rules"],
    allow: ["leverage (ratio|ratios)"],
    voice: "me.voice.toml",
    debounce_ms: -3.4,
  });
  assert.deepEqual(options, {
    redline: {
      fail_on: "warning",
      disable: ["corporate-ai.long-draft"],
      enable: ["corporate-ai.off-by-default"],
      severity: { "corporate-ai.hype-verbs": "info" },
      packs: ["/team/rules"],
      allow: ["leverage (ratio|ratios)"],
      voice: "me.voice.toml",
      debounce_ms: 0,
    },
  });
  const unset = serverOptions(UNSET);
  assert.equal(unset.redline.fail_on, null, "an empty fail_on leaves it to .redline.toml");
  assert.equal(unset.redline.voice, null, "an empty voice leaves it to .redline.toml");
});

test("package.json contributes exactly the settings sent to the server, plus server.path", () => {
  const manifest = JSON.parse(
    fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8"),
  );
  const contributed = Object.keys(manifest.contributes.configuration.properties)
    .map((k) => k.replace(/^redline\./, ""))
    .filter((k) => !k.startsWith("server."))
    .sort();
  const sent = Object.keys(
    serverOptions(UNSET).redline,
  ).sort();
  assert.deepEqual(contributed, sent);
});

test("the check-all summary counts drafts and findings and mentions unreadable files", () => {
  assert.equal(
    workspaceSummary({ files: 12, findings: 3, blocking: 1, errors: [] }),
    "redline checked 12 drafts: 3 findings, 1 blocking.",
  );
  assert.equal(
    workspaceSummary({ files: 1, findings: 1, blocking: 0, errors: ["x: denied"] }),
    "redline checked 1 draft: 1 finding, 0 blocking; 1 file(s) could not be read (see the redline output).",
  );
});
