//! `redline lsp` over stdio, driven by a small JSON-RPC client: positions in UTF-16 and UTF-8
//! with emoji and CRLF, incremental edits, stale versions, hover, code actions, configuration,
//! hostile requests and frames, allow-list edits kept inside the workspace, and a clean exit
//! even when the client leaves a request unanswered.

#[path = "support/mod.rs"]
mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::Scratch;

/// A language-server session with `redline lsp`.
struct Session {
    child: Child,
    /// The server's input; `None` once closed.
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    next_id: i64,
    /// Notifications and responses seen while waiting for something else.
    seen: Vec<Value>,
    /// Whether the server's own requests (registerCapability) are answered.
    answer_server: bool,
    /// The server's own requests, as received.
    server_requests: Vec<Value>,
}

impl Session {
    fn start(scratch: &Scratch, capabilities: Value, options: Value) -> Self {
        let root = format!("file://{}", scratch.0.display());
        Self::start_in(scratch, &root, capabilities, options, true)
    }

    /// A session whose workspace root is `root`; `answer_server` says whether the server's
    /// own requests get answers.
    fn start_in(
        scratch: &Scratch,
        root: &str,
        capabilities: Value,
        options: Value,
        answer_server: bool,
    ) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_redline"))
            .arg("lsp")
            .current_dir(&scratch.0)
            .env("XDG_CONFIG_HOME", scratch.0.join("xdg"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("redline lsp starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (send, incoming) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = 0usize;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse().unwrap();
                    }
                }
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let _ = send.send(serde_json::from_slice(&body).unwrap());
            }
        });
        let mut s = Session {
            child,
            stdin: Some(stdin),
            incoming,
            next_id: 1,
            seen: Vec::new(),
            answer_server,
            server_requests: Vec::new(),
        };
        let init = s.request(
            "initialize",
            json!({"processId": null, "rootUri": root, "capabilities": capabilities, "initializationOptions": options}),
        );
        assert_eq!(init["result"]["serverInfo"]["name"], "redline");
        s.notify("initialized", json!({}));
        s
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        write!(
            self.input(),
            "Content-Length: {}\r\n\r\n{}",
            body.len(),
            body
        )
        .unwrap();
        self.input().flush().unwrap();
    }

    fn send_raw(&mut self, body: &str) {
        write!(
            self.input(),
            "Content-Length: {}\r\n\r\n{}",
            body.len(),
            body
        )
        .unwrap();
        self.input().flush().unwrap();
    }

    fn send_bytes(&mut self, bytes: &[u8]) {
        self.input().write_all(bytes).unwrap();
        self.input().flush().unwrap();
    }

    fn input(&mut self) -> &mut ChildStdin {
        self.stdin.as_mut().expect("the server's input is open")
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn next(&mut self) -> Value {
        match self.incoming.recv_timeout(Duration::from_secs(20)) {
            Ok(v) => v,
            Err(RecvTimeoutError::Timeout) => panic!("no message from the server in 20 s"),
            Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
        }
    }

    /// Sends a request and returns its response; answers the server's own requests
    /// (registerCapability) with null on the way.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.response(&json!(id))
    }

    /// The response with `id`, from what was seen already or what comes next.
    fn response(&mut self, id: &Value) -> Value {
        let is_it = |m: &Value| m.get("method").is_none() && m.get("id") == Some(id);
        if let Some(i) = self.seen.iter().position(is_it) {
            return self.seen.remove(i);
        }
        loop {
            let m = self.next();
            if self.server_request(&m) {
                continue;
            }
            if is_it(&m) {
                return m;
            }
            self.seen.push(m);
        }
    }

    /// Notes (and, unless told not to, answers with null) a request from the server; says
    /// whether `m` was one.
    fn server_request(&mut self, m: &Value) -> bool {
        if m.get("method").is_none() || m.get("id").is_none() {
            return false;
        }
        if self.answer_server {
            let reply = json!({"jsonrpc": "2.0", "id": m["id"], "result": null});
            self.send(&reply);
        }
        self.server_requests.push(m.clone());
        true
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> (Option<i64>, Vec<Value>) {
        if let Some(i) = self.seen.iter().position(|m| is_diagnostics_for(m, uri)) {
            let m = self.seen.remove(i);
            return unpack(&m);
        }
        loop {
            let m = self.next();
            if self.server_request(&m) {
                continue;
            }
            if is_diagnostics_for(&m, uri) {
                return unpack(&m);
            }
        }
    }

    fn open(&mut self, uri: &str, language: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        );
    }

    /// Opens a draft and returns the diagnostics first published for it.
    fn open_checked(&mut self, uri: &str, language: &str, text: &str) -> Vec<Value> {
        self.open(uri, language, text);
        self.diagnostics(uri).1
    }

    /// The code actions offered over `diagnostic`'s range.
    fn actions(&mut self, uri: &str, diagnostic: &Value) -> Vec<Value> {
        let answer = self.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": diagnostic["range"], "context": {"diagnostics": [diagnostic]}}),
        );
        answer["result"]
            .as_array()
            .unwrap_or_else(|| panic!("{answer}"))
            .clone()
    }

    fn finish(mut self) {
        let r = self.request("shutdown", Value::Null);
        assert!(r.get("error").is_none(), "{r}");
        self.notify("exit", Value::Null);
        assert_eq!(self.exit_code(), Some(0));
    }

    /// The server's exit code once it ends; panics when it is still running after 10 s.
    fn exit_code(&mut self) -> Option<i32> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the server was still running 10 s after it was told to stop");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn is_diagnostics_for(m: &Value, uri: &str) -> bool {
    m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
}

fn unpack(m: &Value) -> (Option<i64>, Vec<Value>) {
    (
        m["params"]["version"].as_i64(),
        m["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default(),
    )
}

fn uri_of(scratch: &Scratch, name: &str) -> String {
    format!("file://{}", scratch.0.join(name).display())
}

fn find<'a>(diags: &'a [Value], rule: &str) -> &'a Value {
    diags
        .iter()
        .find(|d| d["code"] == rule)
        .unwrap_or_else(|| panic!("no {rule} in {diags:?}"))
}

const DRAFT: &str = "Hi Dana 😀,\r\n\r\n🚀 I wanted to\r\nreach out about Denver.\r\n";

#[test]
fn utf16_ranges_with_emoji_and_crlf_and_incremental_edits() {
    let s = Scratch::new();
    let mut lsp = Session::start(&s, json!({}), json!({}));
    let uri = uri_of(&s, "draft.txt");
    lsp.open(&uri, "plaintext", DRAFT);
    let (version, diags) = lsp.diagnostics(&uri);
    assert_eq!(version, Some(1));
    let d = find(&diags, "corporate-ai.wanted-to-reach-out");
    assert_eq!(d["source"], "redline");
    assert_eq!(d["severity"], 1);
    assert_eq!(
        d["range"]["start"],
        json!({"line": 2, "character": 3}),
        "🚀 is two UTF-16 units"
    );
    assert_eq!(d["range"]["end"], json!({"line": 3, "character": 9}));

    // Replace "Denver" (line 3, UTF-16 columns 16..22) and delete the phrase's first line.
    lsp.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 3, "character": 16}, "end": {"line": 3, "character": 22}}, "text": "Austin"},
            {"range": {"start": {"line": 2, "character": 0}, "end": {"line": 3, "character": 0}}, "text": ""}
        ]}),
    );
    let (version, diags) = lsp.diagnostics(&uri);
    assert_eq!(version, Some(2));
    assert!(
        diags
            .iter()
            .all(|d| d["code"] != "corporate-ai.wanted-to-reach-out"),
        "{diags:?}"
    );

    // A change for an older version is ignored; the document stays at version 2.
    lsp.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 1}, "contentChanges": [{"text": "I wanted to reach out"}]}),
    );
    lsp.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": "Hi,\n\nI hope this finds you well.\n"}]}),
    );
    let (version, diags) = lsp.diagnostics(&uri);
    assert_eq!(
        version,
        Some(3),
        "no diagnostics were published for the stale change"
    );
    find(&diags, "corporate-ai.hope-this-finds-you-well");
    lsp.finish();
}

#[test]
fn a_lone_cr_is_a_line_break_in_positions_sent_and_edits_received() {
    let s = Scratch::new();
    let mut lsp = Session::start(&s, json!({}), json!({}));
    let uri = uri_of(&s, "draft.txt");
    // The editor's lines: "Hi 😀", "\tI wanted to reach out.", "Thanks", "".
    let text = "Hi 😀\r\tI wanted to reach out.\r\nThanks\r";
    lsp.open(&uri, "plaintext", text);
    let (_, diags) = lsp.diagnostics(&uri);
    assert_eq!(
        find(&diags, "corporate-ai.wanted-to-reach-out")["range"],
        json!({"start": {"line": 1, "character": 1}, "end": {"line": 1, "character": 22}})
    );

    // An edit on the line after the CRLF, which only exists when the lone CR ends a line.
    lsp.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 6}},
             "text": "I hope this email finds you well."}
        ]}),
    );
    let (version, diags) = lsp.diagnostics(&uri);
    assert_eq!(version, Some(2), "the edit was applied");
    assert_eq!(
        find(&diags, "corporate-ai.hope-this-finds-you-well")["range"]["start"],
        json!({"line": 2, "character": 0})
    );
    assert_eq!(
        find(&diags, "corporate-ai.wanted-to-reach-out")["range"]["start"],
        json!({"line": 1, "character": 1})
    );

    // An edit that does not fit is refused and says so in the client's log.
    lsp.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [
            {"range": {"start": {"line": 9, "character": 0}, "end": {"line": 9, "character": 0}}, "text": "x"}
        ]}),
    );
    let logged = loop {
        let m = lsp.next();
        if m["method"] == "window/logMessage" {
            break m["params"]["message"].as_str().unwrap().to_string();
        }
    };
    assert!(
        logged.contains("refused an edit") && logged.contains("line 9 is past the end"),
        "{logged}"
    );
    lsp.finish();
}

#[test]
fn utf8_positions_when_the_client_offers_them() {
    let s = Scratch::new();
    let caps = json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}});
    let mut lsp = Session::start(&s, caps, json!({}));
    let uri = uri_of(&s, "draft.md");
    let diags = lsp.open_checked(&uri, "markdown", DRAFT);
    let d = find(&diags, "corporate-ai.wanted-to-reach-out");
    assert_eq!(
        d["range"]["start"],
        json!({"line": 2, "character": 5}),
        "🚀 is four UTF-8 bytes"
    );
    lsp.finish();
}

#[test]
fn hover_explains_and_code_actions_fix_disable_and_allow() {
    let s = Scratch::new();
    let mut lsp = Session::start(&s, json!({}), json!({}));
    let uri = uri_of(&s, "draft.txt");
    let diags = lsp.open_checked(
        &uri,
        "plaintext",
        "Hi Sam,\n\nWe leverage data. I hope this finds you well.\n",
    );
    let hope = find(&diags, "corporate-ai.hope-this-finds-you-well").clone();

    let hover = lsp.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": hope["range"]["start"]}),
    );
    let md = hover["result"]["contents"]["value"].as_str().unwrap();
    for part in ["Why it hurts", "Write instead", "Before:", "After:", "8.2%"] {
        assert!(md.contains(part), "{part} missing from hover:\n{md}");
    }

    let actions = lsp.actions(&uri, &hope);
    let titles: Vec<&str> = actions
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(titles.contains(&"Delete it"), "{titles:?}");
    assert!(titles.contains(&"Disable corporate-ai.hope-this-finds-you-well for this draft"));
    let edit = &titled(&actions, "Delete it")["edit"]["changes"][&uri][0];
    assert_eq!(edit["newText"], "");
    assert_eq!(
        edit["range"]["start"],
        json!({"line": 2, "character": 17}),
        "the space before the line's last sentence goes with it"
    );
    let allow = titled(&actions, "Allow");
    let ops = allow["edit"]["documentChanges"].as_array().unwrap();
    assert_eq!(
        ops[0]["kind"], "create",
        "creates .redline.toml at the workspace root, where the draft is"
    );
    assert_eq!(ops[0]["uri"], uri_of(&s, ".redline.toml"));
    assert_eq!(
        ops[1]["edits"][0]["newText"],
        "allow = [\"I hope this finds you well\"]\n"
    );

    let leverage = find(&diags, "corporate-ai.hype-verbs").clone();
    let actions = lsp.actions(&uri, &leverage);
    let replace = titled(&actions, "Replace with “use”");
    assert_eq!(replace["edit"]["changes"][&uri][0]["newText"], "use");

    // Below a Subject line (which must stay first to be the subject), in the draft's CRLF.
    let subject = uri_of(&s, "subject.txt");
    let diags = lsp.open_checked(
        &subject,
        "plaintext",
        "Subject: Quick question\r\n\r\nHi Sam,\r\n\r\nI hope this finds you well.\r\n",
    );
    let hope = find(&diags, "corporate-ai.hope-this-finds-you-well").clone();
    let actions = lsp.actions(&subject, &hope);
    let disable = &titled(&actions, "Disable")["edit"]["changes"][&subject][0];
    assert_eq!(
        disable["range"]["start"],
        json!({"line": 2, "character": 0})
    );
    assert_eq!(
        disable["newText"],
        "<!-- redline-disable corporate-ai.hope-this-finds-you-well -->\r\n"
    );

    // A misspelt marker silences nothing, and says so on the id.
    let typo = uri_of(&s, "typo.txt");
    let diags = lsp.open_checked(
        &typo,
        "plaintext",
        "<!-- redline-disable corporate-ai.hope-this-finds-you-wel -->\nHi Sam,\n\nI hope this finds you well.\n",
    );
    find(&diags, "corporate-ai.hope-this-finds-you-well");
    let marker = find(&diags, "redline.inline-marker");
    assert_eq!(
        marker["range"],
        json!({"start": {"line": 0, "character": 21}, "end": {"line": 0, "character": 57}})
    );
    assert!(
        marker["message"]
            .as_str()
            .unwrap()
            .ends_with("did you mean `corporate-ai.hope-this-finds-you-well`?"),
        "{marker}"
    );
    assert!(lsp.actions(&typo, marker).is_empty());
    lsp.finish();
}

#[test]
fn configuration_and_config_files_change_what_is_reported() {
    let s = Scratch::new();
    let mut lsp = Session::start(
        &s,
        json!({}),
        json!({"disable": ["corporate-ai.wanted-to-reach-out"]}),
    );
    let uri = uri_of(&s, "draft.txt");
    let diags = lsp.open_checked(
        &uri,
        "plaintext",
        "Hi,\n\nI wanted to reach out. I hope this finds you well.\n",
    );
    assert!(
        diags
            .iter()
            .all(|d| d["code"] != "corporate-ai.wanted-to-reach-out")
    );
    find(&diags, "corporate-ai.hope-this-finds-you-well");

    lsp.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"redline": {"disable": []}}}),
    );
    let (_, diags) = lsp.diagnostics(&uri);
    find(&diags, "corporate-ai.wanted-to-reach-out");

    s.write(
        ".redline.toml",
        "disable = [\"corporate-ai.hope-this-finds-you-well\"]\n",
    );
    lsp.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri_of(&s, ".redline.toml"), "type": 1}]}),
    );
    let (_, diags) = lsp.diagnostics(&uri);
    assert!(
        diags
            .iter()
            .all(|d| d["code"] != "corporate-ai.hope-this-finds-you-well"),
        "{diags:?}"
    );
    let hover = lsp.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 2, "character": 25}}),
    );
    assert!(
        hover["result"].is_null(),
        "no hover from a check made before the config changed: {hover}"
    );
    lsp.finish();
}

#[test]
fn eml_drafts_map_decoded_findings_to_the_raw_text() {
    let s = Scratch::new();
    let mut lsp = Session::start(&s, json!({}), json!({}));
    let uri = uri_of(&s, "draft.eml");
    let eml = "Subject: hi\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nHi Dana,\r\n\r\nI wanted to re=\r\nach out.\r\n";
    let diags = lsp.open_checked(&uri, "plaintext", eml);
    let d = find(&diags, "corporate-ai.wanted-to-reach-out");
    assert_eq!(d["range"]["start"], json!({"line": 7, "character": 0}));
    assert_eq!(d["range"]["end"], json!({"line": 8, "character": 7}));
    let titles = action_titles(&mut lsp, &uri, d);
    assert!(
        titles
            .iter()
            .all(|t| !t.starts_with("Disable") && !t.starts_with("Rewrite")),
        "no edits inside a quoted-printable part, whose bytes differ from the text: {titles:?}"
    );

    let plain = uri_of(&s, "plain.eml");
    let eml = "Subject: hi\r\nContent-Type: text/plain\r\n\r\nHi Dana,\r\n\r\nI hope this finds you well.\r\n";
    let diags = lsp.open_checked(&plain, "email", eml);
    let d = find(&diags, "corporate-ai.hope-this-finds-you-well").clone();
    let actions = lsp.actions(&plain, &d);
    let edit = &titled(&actions, "Disable")["edit"]["changes"][&plain][0];
    assert_eq!(
        edit["range"]["start"],
        json!({"line": 3, "character": 0}),
        "the marker goes at the top of the body, not into the headers"
    );

    // A message whose text is only in a winmail.dat was not checked: the editor says so, as
    // a blocking error at the top, rather than showing a clean draft.
    let tnef = uri_of(&s, "winmail.eml");
    let eml = "Subject: Denver\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: application/ms-tnef; name=\"winmail.dat\"\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"winmail.dat\"\r\n\r\neJ8+IhAAAQaQCAAEAAAAAAABAAEAAQeQBgAIAAAA5AQAAAAAAADo\r\n--b--\r\n";
    // Saved as .txt, the same message reads the same, as `redline check` reads it.
    let as_text = uri_of(&s, "winmail.txt");
    let diags = lsp.open_checked(&as_text, "plaintext", eml);
    find(&diags, "redline.unread");
    let diags = lsp.open_checked(&tnef, "email", eml);
    let unread = find(&diags, "redline.unread");
    assert_eq!(unread["severity"], 1, "an error: {unread}");
    assert_eq!(unread["data"]["blocking"], true);
    assert_eq!(
        unread["range"],
        json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}})
    );
    assert!(
        unread["message"]
            .as_str()
            .unwrap()
            .contains("only attachments or a forwarded message"),
        "{unread}"
    );
    lsp.finish();
}

fn action_titles(lsp: &mut Session, uri: &str, diagnostic: &Value) -> Vec<String> {
    lsp.actions(uri, diagnostic)
        .iter()
        .map(|a| a["title"].as_str().unwrap().to_string())
        .collect()
}

/// The action whose title starts with `prefix`.
fn titled<'a>(actions: &'a [Value], prefix: &str) -> &'a Value {
    actions
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with(prefix))
        .unwrap_or_else(|| panic!("no action titled {prefix}… in {actions:#?}"))
}

#[test]
fn suggestions_explain_command_and_blocking_flags() {
    let s = Scratch::new();
    let mut lsp = Session::start(&s, json!({}), json!({}));
    let uri = uri_of(&s, "draft.txt");
    let diags = lsp.open_checked(
        &uri,
        "plaintext",
        "Hi Sam,\n\nWe leverage data. Would you be open to a quick 15-minute call?\n",
    );
    let cta = find(&diags, "corporate-ai.quick-call-cta").clone();
    assert_eq!(cta["data"]["blocking"], true, "errors block by default");
    assert_eq!(
        find(&diags, "corporate-ai.hype-verbs")["data"]["blocking"],
        false
    );
    let titles = action_titles(&mut lsp, &uri, &cta);
    assert!(
        titles.contains(&"Rewrite as “Is this on your list this quarter?”".to_string()),
        "{titles:?}"
    );

    let explained = lsp.request(
        "workspace/executeCommand",
        json!({"command": "redline.lsp.explain", "arguments": ["corporate-ai.quick-call-cta"]}),
    );
    let md = explained["result"]["markdown"].as_str().unwrap();
    assert!(md.starts_with("# `corporate-ai.quick-call-cta`"), "{md}");
    assert!(
        md.contains("Why it hurts") && md.contains("Before:"),
        "{md}"
    );
    let unknown = lsp.request(
        "workspace/executeCommand",
        json!({"command": "redline.lsp.explain", "arguments": ["no.such-rule"]}),
    );
    assert!(
        unknown["error"]["message"]
            .as_str()
            .unwrap()
            .contains("no.such-rule"),
        "{unknown}"
    );

    lsp.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"redline": {"fail_on": "info"}}}),
    );
    let (_, diags) = lsp.diagnostics(&uri);
    assert_eq!(
        find(&diags, "corporate-ai.hype-verbs")["data"]["blocking"],
        true
    );
    lsp.finish();
}

/// The byte offset of a UTF-16 LSP position in `text`, lines ending at `\n`, `\r\n` or `\r`.
fn utf16_offset(text: &str, pos: &Value) -> usize {
    let (line, character) = (
        pos["line"].as_u64().unwrap(),
        pos["character"].as_u64().unwrap(),
    );
    let mut at = 0;
    for _ in 0..line {
        let n = text[at..].find(['\r', '\n']).unwrap() + at;
        at = n + if text[n..].starts_with("\r\n") { 2 } else { 1 };
    }
    let mut units = 0;
    for (i, c) in text[at..].char_indices() {
        if units >= character || c == '\r' || c == '\n' {
            return at + i;
        }
        units += c.len_utf16() as u64;
    }
    text.len()
}

/// `text` after the single edit of `action` to `uri`.
fn applied(text: &str, uri: &str, action: &Value) -> String {
    let edits = action["edit"]["changes"][uri].as_array().unwrap();
    assert_eq!(edits.len(), 1, "{action}");
    let range = &edits[0]["range"];
    let (start, end) = (
        utf16_offset(text, &range["start"]),
        utf16_offset(text, &range["end"]),
    );
    format!(
        "{}{}{}",
        &text[..start],
        edits[0]["newText"].as_str().unwrap(),
        &text[end..]
    )
}

#[test]
fn a_rewrite_replaces_the_whole_sentence_and_a_delete_leaves_no_trailing_space() {
    let s = Scratch::new();
    let mut lsp = Session::start(&s, json!({}), json!({}));
    let uri = uri_of(&s, "draft.txt");
    let draft = "Hi Sam 😀,\r\n\r\nGood to meet you 🚀. I wanted to reach out about your team. Would you be open to \
                 a quick 15-minute call?\r\nThanks for the call. I hope this email finds you well \
                 😀.\r\n\r\nThanks,\r\nAlex\r\n";
    let diags = lsp.open_checked(&uri, "plaintext", draft);

    let cta = find(&diags, "corporate-ai.quick-call-cta").clone();
    let actions = lsp.actions(&uri, &cta);
    assert_eq!(
        applied(
            draft,
            &uri,
            titled(&actions, "Rewrite as “Who owns quoting")
        ),
        draft.replace(
            "Would you be open to a quick 15-minute call?",
            "Who owns quoting on your team?"
        ),
        "the question is replaced, its `?` with it (no `??`)"
    );
    let opener = find(&diags, "corporate-ai.wanted-to-reach-out").clone();
    let actions = lsp.actions(&uri, &opener);
    assert_eq!(
        applied(draft, &uri, titled(&actions, "Rewrite as “Saw your team")),
        draft.replace(
            "I wanted to reach out about your team.",
            "Saw your team is hiring six AEs in Denver."
        ),
        "no fragment of the old sentence is left behind"
    );

    let hope = find(&diags, "corporate-ai.hope-this-finds-you-well").clone();
    let actions = lsp.actions(&uri, &hope);
    assert_eq!(
        applied(draft, &uri, titled(&actions, "Delete it")),
        draft.replace(" I hope this email finds you well 😀.", ""),
        "the space before the last sentence of a line goes with it; the CRLF stays"
    );

    // In a message, a rewrite edits the raw bytes of a plain 8bit part.
    let eml_uri = uri_of(&s, "draft.eml");
    let eml = "Subject: hi\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHi Dana,\r\n\r\n\
               Good to meet you 😀. Would you be open to a quick 15-minute call? Thanks.\r\n";
    let diags = lsp.open_checked(&eml_uri, "email", eml);
    let cta = find(&diags, "corporate-ai.quick-call-cta").clone();
    let actions = lsp.actions(&eml_uri, &cta);
    assert_eq!(
        applied(eml, &eml_uri, titled(&actions, "Rewrite as “Is this")),
        eml.replace(
            "Would you be open to a quick 15-minute call?",
            "Is this on your list this quarter?"
        )
    );
    lsp.finish();
}

#[test]
fn check_workspace_publishes_every_draft_that_is_not_open() {
    let s = Scratch::new();
    s.write("outbox/ai.txt", "Hi,\n\nI hope this finds you well.\n");
    s.write(
        "outbox/human.md",
        "Dana, the Denver numbers are in. Thursday at 3?\n",
    );
    s.write(
        "outbox/reply.eml",
        "Subject: hi\n\nI wanted to reach out about Q3.\n",
    );
    // Its text is only in a winmail.dat: nothing to check, and so it blocks.
    s.write(
        "outbox/winmail.eml",
        "Subject: Denver\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: application/ms-tnef\nContent-Transfer-Encoding: base64\nContent-Disposition: attachment; filename=\"winmail.dat\"\n\neJ8+IhAAAQaQCAAEAAAAAAABAAEAAQeQBgAIAAAA5AQAAAAAAADo\n--b--\n",
    );
    s.write("outbox/code.rs", "// I hope this finds you well\n");
    s.write("outbox/vendor/old.txt", "I hope this finds you well.\n");
    s.write("outbox/.ignore", "vendor/\n");
    let mut lsp = Session::start(&s, json!({}), json!({}));
    let open = uri_of(&s, "outbox/human.md");
    lsp.open(
        &open,
        "markdown",
        "Edited in the editor: I wanted to reach out.\n",
    );
    let _ = lsp.diagnostics(&open);

    let answer = lsp.request(
        "workspace/executeCommand",
        json!({"command": "redline.lsp.checkWorkspace", "arguments": []}),
    );
    assert_eq!(answer["result"]["files"], 3, "{answer}");
    assert_eq!(answer["result"]["blocking"], 3, "{answer}");
    let (_, diags) = lsp.diagnostics(&uri_of(&s, "outbox/winmail.eml"));
    find(&diags, "redline.unread");
    let (version, diags) = lsp.diagnostics(&uri_of(&s, "outbox/ai.txt"));
    assert_eq!(version, None, "a file that is not open has no version");
    find(&diags, "corporate-ai.hope-this-finds-you-well");
    let (_, diags) = lsp.diagnostics(&uri_of(&s, "outbox/reply.eml"));
    assert_eq!(
        find(&diags, "corporate-ai.wanted-to-reach-out")["range"]["start"],
        json!({"line": 2, "character": 0})
    );
    assert!(
        !lsp.seen.iter().any(|m| m["params"]["uri"]
            .as_str()
            .is_some_and(|u| u.ends_with("code.rs") || u.contains("vendor"))),
        "code files and ignored folders are not drafts"
    );

    // An argument that is not a folder URI is an error naming it, not the whole workspace.
    let folder = uri_of(&s, "outbox");
    for (arguments, named) in [
        (
            json!(["not a uri"]),
            "argument 1 (\"not a uri\") is not a URI",
        ),
        (json!([5]), "argument 1 (5) is not a string"),
        (json!([folder, "https://example.com/x"]), "argument 2"),
    ] {
        let answer = lsp.request(
            "workspace/executeCommand",
            json!({"command": "redline.lsp.checkWorkspace", "arguments": arguments}),
        );
        assert_eq!(answer["error"]["code"], -32602, "{answer}");
        let message = answer["error"]["message"].as_str().unwrap();
        assert!(message.contains(named), "{message}");
    }
    lsp.finish();
}

#[test]
fn a_burst_of_edits_is_checked_once_it_settles() {
    let s = Scratch::new();
    let mut lsp = Session::start(&s, json!({}), json!({"debounce_ms": 300}));
    let uri = uri_of(&s, "draft.txt");
    lsp.open(&uri, "plaintext", "Hi Dana,\n\n");
    assert_eq!(
        lsp.diagnostics(&uri).0,
        Some(1),
        "a draft at rest is checked at once"
    );
    let typed = "I hope this finds you well.";
    for (i, c) in typed.chars().enumerate() {
        lsp.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": i + 2}, "contentChanges": [
                {"range": {"start": {"line": 2, "character": i}, "end": {"line": 2, "character": i}}, "text": c.to_string()}]}),
        );
    }
    let last = typed.chars().count() as i64 + 1;
    let mut published = Vec::new();
    loop {
        let (version, diags) = lsp.diagnostics(&uri);
        published.push(version.unwrap());
        if version == Some(last) {
            find(&diags, "corporate-ai.hope-this-finds-you-well");
            break;
        }
    }
    assert!(
        published.len() <= 2,
        "{} keystrokes coalesce into at most the first check and the settled one: {published:?}",
        typed.len()
    );
    assert!(published.windows(2).all(|w| w[0] < w[1]), "{published:?}");
    lsp.finish();
}

#[test]
fn hostile_requests_get_errors_and_the_server_goes_on() {
    let s = Scratch::new();
    let mut lsp = Session::start(&s, json!({}), json!({}));
    lsp.send_raw("{not json");
    lsp.send_raw("[1, 2");
    let r = lsp.request("redline/noSuchMethod", json!({}));
    assert_eq!(r["error"]["code"], -32601);
    let r = lsp.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///never/opened.txt"}, "position": {"line": 0, "character": 0}}),
    );
    assert!(r["result"].is_null(), "{r}");
    let r = lsp.request("textDocument/codeAction", json!({"bogus": true}));
    assert!(r.get("error").is_some(), "{r}");
    let uri = uri_of(&s, "draft.txt");
    let _ = lsp.open_checked(&uri, "plaintext", "I wanted to reach out.");
    let r = lsp.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 99, "character": 99}}),
    );
    assert!(r["result"].is_null(), "{r}");
    lsp.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 50, "character": 0}, "end": {"line": 51, "character": 0}}, "text": "x"}]}),
    );
    let r = lsp.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 3}}),
    );
    assert!(
        r["result"]["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("Why it hurts")
    );
    lsp.finish();
}

#[test]
fn a_voice_setting_flags_a_draft_that_does_not_sound_like_the_writer_and_hover_shows_why() {
    let s = Scratch::new();
    for i in 0..14 {
        s.write(
            &format!("sent/{i:02}.txt"),
            format!(
                "yeah i looked at build {i} again. it's still broken here, can't tell why.\n\ni'll poke at it tonight. don't wait for me.\n"
            ),
        );
    }
    let o = s.run(&["voice", "learn", "-o", "me.toml", "sent"], None);
    assert_eq!(o.status.code(), Some(0));
    let profile = s.0.join("me.toml");
    let mut lsp = Session::start(
        &s,
        json!({}),
        json!({"redline": {"voice": profile.to_str().unwrap()}}),
    );
    let uri = uri_of(&s, "draft.txt");
    let diags = lsp.open_checked(
        &uri,
        "plaintext",
        "Dear team,\n\nI have reviewed the build again. Unfortunately, it is still not working on my end, and I cannot determine why. Additionally, I will investigate further this evening.\n\nBest regards,\nAlex\n",
    );
    let voice = find(&diags, "voice.not-your-voice").clone();
    assert_eq!(voice["severity"], 2, "a warning");
    assert_eq!(
        voice["range"],
        json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 10}})
    );
    let hover = lsp.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": voice["range"]["start"]}),
    );
    let md = hover["result"]["contents"]["value"].as_str().unwrap();
    for part in [
        "**Distance** ",
        "from 14 of your messages",
        "| adds | what differs |",
        "you open with no greeting line in 100% of your mail; this says 'Dear'",
        "Why it hurts",
    ] {
        assert!(md.contains(part), "{part} missing from hover:\n{md}");
    }

    // A broken profile: the error is shown, and the draft's diagnostics from the working one
    // are taken down rather than left up as if still current.
    let broken = s.write("broken.toml", "version = 3\nthreshold = \"\n");
    lsp.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"redline": {"voice": broken.to_str().unwrap()}}}),
    );
    let (mut shown, mut republished) = (None, None);
    while shown.is_none() || republished.is_none() {
        let m = lsp.next();
        if m["method"] == "window/showMessage" && m["params"]["type"] == 1 {
            shown = m["params"]["message"].as_str().map(str::to_string);
        } else if is_diagnostics_for(&m, &uri) {
            republished = Some(unpack(&m).1);
        }
    }
    let shown = shown.unwrap();
    assert!(shown.contains("broken.toml"), "{shown}");
    let diags = republished.unwrap();
    assert!(
        diags.iter().all(|d| d["code"] != "voice.not-your-voice"),
        "{diags:?}"
    );
    lsp.finish();
}

#[test]
fn json_that_is_not_json_rpc_gets_invalid_request_and_the_server_goes_on() {
    let s = Scratch::new();
    let mut lsp = Session::start(&s, json!({}), json!({}));
    let uri = uri_of(&s, "draft.txt");
    let _ = lsp.open_checked(&uri, "plaintext", "I wanted to reach out.");
    let hover = json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 3}});
    for frame in [
        "{}".to_string(),
        "null".to_string(),
        "42".to_string(),
        "\"hi\"".to_string(),
        "[]".to_string(),
        json!([{"jsonrpc": "2.0", "id": 90, "method": "textDocument/hover", "params": hover}, 7])
            .to_string(),
        json!({"jsonrpc": "1.0", "id": 91, "method": "textDocument/hover", "params": hover})
            .to_string(),
        json!({"jsonrpc": "2.0", "id": "ninety-two", "method": 5}).to_string(),
        json!({"jsonrpc": "2.0", "id": [1], "method": "textDocument/hover", "params": hover})
            .to_string(),
    ] {
        lsp.send_raw(&frame);
        let r = lsp.request("textDocument/hover", hover.clone());
        assert!(
            r["result"]["contents"]["value"]
                .as_str()
                .is_some_and(|md| md.contains("Why it hurts")),
            "the server still answers after {frame}: {r}"
        );
    }
    for id in [json!(90), json!(91), json!("ninety-two"), Value::Null] {
        let r = lsp.response(&id);
        assert_eq!(r["error"]["code"], -32600, "{r}");
    }
    lsp.finish();
}

#[test]
fn oversized_content_lengths_are_refused_without_allocating_them() {
    let s = Scratch::new();
    let mut lsp = Session::start(&s, json!({}), json!({}));
    let uri = uri_of(&s, "draft.txt");
    let _ = lsp.open_checked(&uri, "plaintext", "I wanted to reach out.");
    for length in [
        "18446744073709551615",
        "99999999999999",
        "67108865",
        "-1",
        "1e9",
    ] {
        lsp.send_bytes(format!("Content-Length: {length}\r\n\r\n{{}}").as_bytes());
        let r = lsp.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 3}}),
        );
        assert!(
            r["result"]["contents"]["value"].is_string(),
            "the server still answers after a Content-Length of {length}: {r}"
        );
    }
    lsp.finish();
}

#[test]
fn junk_after_a_bad_content_length_does_not_swallow_the_next_request() {
    let s = Scratch::new();
    let mut lsp = Session::start(&s, json!({}), json!({}));
    let uri = uri_of(&s, "draft.txt");
    let _ = lsp.open_checked(&uri, "plaintext", "I wanted to reach out.");
    for length in ["-5", "abc"] {
        // The junk and the request arrive together, as one read.
        lsp.send_bytes(format!("Content-Length: {length}\r\n\r\n{}", "x".repeat(40)).as_bytes());
        let r = lsp.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 3}}),
        );
        assert!(
            r["result"]["contents"]["value"].is_string(),
            "the request after `Content-Length: {length}` and junk is answered: {r}"
        );
    }
    lsp.finish();
}

#[test]
fn the_server_exits_when_the_client_never_answers_its_registration() {
    let s = Scratch::new();
    let caps = json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}});
    let root = format!("file://{}", s.0.display());
    let mut lsp = Session::start_in(&s, &root, caps.clone(), json!({}), false);
    // A client with dynamic registration is asked to watch config files; this one never
    // answers.
    while !lsp
        .server_requests
        .iter()
        .any(|m| m["method"] == "client/registerCapability")
    {
        let m = lsp.next();
        if !lsp.server_request(&m) {
            lsp.seen.push(m);
        }
    }
    lsp.finish();

    let mut lsp = Session::start_in(&s, &root, caps, json!({}), false);
    let _ = lsp.request("redline/noSuchMethod", json!({}));
    lsp.stdin = None;
    assert_eq!(lsp.exit_code(), Some(0), "stdin closed without shutdown");
}

#[test]
fn exit_without_shutdown_exits_1() {
    let s = Scratch::new();
    let mut lsp = Session::start(&s, json!({}), json!({}));
    let _ = lsp.request("redline/noSuchMethod", json!({}));
    lsp.notify("exit", Value::Null);
    assert_eq!(lsp.exit_code(), Some(1), "the LSP spec's exit code");
}

#[test]
fn watchers_are_registered_only_with_clients_that_support_it() {
    let s = Scratch::new();
    let mut lsp = Session::start(&s, json!({}), json!({}));
    let _ = lsp.request("redline/noSuchMethod", json!({}));
    let uri = uri_of(&s, "draft.txt");
    let _ = lsp.open_checked(&uri, "plaintext", "I wanted to reach out.");
    assert!(
        lsp.server_requests.is_empty(),
        "no registration the client did not declare: {:?}",
        lsp.server_requests
    );
    lsp.finish();
}

/// The files an "Allow" action would create or edit.
fn allow_targets(actions: &[Value]) -> Vec<String> {
    actions
        .iter()
        .filter(|a| a["title"].as_str().unwrap().starts_with("Allow"))
        .flat_map(|a| a["edit"]["documentChanges"].as_array().unwrap().clone())
        .map(|op| {
            op["uri"]
                .as_str()
                .or(op["textDocument"]["uri"].as_str())
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn allowing_a_phrase_edits_only_a_config_inside_the_workspace() {
    let s = Scratch::new();
    s.write(".redline.toml", "fail_on = \"error\"\n");
    s.write("ws/notes/.keep", "");
    let ws = format!("file://{}", s.0.join("ws").display());
    let mut lsp = Session::start_in(&s, &ws, json!({}), json!({}), true);
    let text = "Hi,\n\nI hope this finds you well.\n";

    // No config inside the workspace: a new one at the workspace root, not beside the draft
    // and not the one above the workspace.
    let uri = format!("{ws}/notes/draft.txt");
    let diags = lsp.open_checked(&uri, "plaintext", text);
    let hope = find(&diags, "corporate-ai.hope-this-finds-you-well").clone();
    let targets = allow_targets(&lsp.actions(&uri, &hope));
    assert!(!targets.is_empty());
    assert!(
        targets.iter().all(|t| *t == format!("{ws}/.redline.toml")),
        "{targets:?}"
    );

    // A config inside the workspace, between the draft and the root, is the one edited.
    s.write("ws/notes/.redline.toml", "allow = []\n");
    lsp.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": format!("{ws}/notes/.redline.toml"), "type": 1}]}),
    );
    let (_, diags) = lsp.diagnostics(&uri);
    let hope = find(&diags, "corporate-ai.hope-this-finds-you-well").clone();
    let targets = allow_targets(&lsp.actions(&uri, &hope));
    assert_eq!(targets, [format!("{ws}/notes/.redline.toml")]);

    // Drafts whose URI leads outside the workspace, or names another host, get no allow edit.
    for hostile in [
        format!("{ws}/../../../../../../../../tmp/x.txt"),
        format!("{ws}/..%2f..%2f..%2f..%2ftmp/x.txt"),
        format!("{ws}/notes/%2e%2e/%2e%2e/x.txt"),
        format!("file://elsewhere{}/draft.txt", s.0.join("ws").display()),
        "file:///tmp/redline-outside/draft.txt".to_string(),
    ] {
        let diags = lsp.open_checked(&hostile, "plaintext", text);
        let hope = find(&diags, "corporate-ai.hope-this-finds-you-well").clone();
        let targets = allow_targets(&lsp.actions(&hostile, &hope));
        assert!(targets.is_empty(), "{hostile} → {targets:?}");
    }
    lsp.finish();
}

#[test]
fn code_actions_over_a_range_past_the_end_are_clamped() {
    let s = Scratch::new();
    let mut lsp = Session::start(&s, json!({}), json!({}));
    let uri = uri_of(&s, "draft.txt");
    let _ = lsp.open_checked(&uri, "plaintext", "Hi,\n\nI hope this finds you well.\n");
    let r = lsp.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 999, "character": 5}}, "context": {"diagnostics": []}}),
    );
    let titles: Vec<&str> = r["result"]
        .as_array()
        .unwrap_or_else(|| panic!("{r}"))
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(titles.contains(&"Delete it"), "{titles:?}");
    lsp.finish();
}

#[test]
fn diagnostics_per_draft_are_capped_and_the_cap_is_said() {
    let s = Scratch::new();
    let mut lsp = Session::start(&s, json!({}), json!({}));
    let uri = uri_of(&s, "draft.txt");
    let text = "I hope this finds you well.\n\n".repeat(3000);
    let diags = lsp.open_checked(&uri, "plaintext", &text);
    assert!(diags.len() <= 1001, "{} diagnostics", diags.len());
    let note = diags.last().unwrap();
    assert_eq!(note["code"], "redline.too-many-findings", "{note}");
    let message = note["message"].as_str().unwrap();
    assert!(
        message.contains("1000 shown") && message.contains("not shown"),
        "{message}"
    );
    assert_eq!(note["data"]["blocking"], true, "the hidden findings block");
    lsp.finish();
}
