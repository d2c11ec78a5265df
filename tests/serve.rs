//! `redline serve` end to end: the real binary on a random loopback port, spoken to over real
//! sockets with a small HTTP/1.1 client (so the tests can also send what a well-behaved client
//! would not: half a body, a lying Content-Length, a stalled upload).

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::Scratch;

const AI_DRAFT: &str = include_str!("../examples/ai-draft.txt");
const HUMAN_DRAFT: &str = include_str!("../examples/human-draft.txt");

/// A running `redline serve`, stopped when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
    log: Arc<Mutex<String>>,
}

impl Server {
    /// Starts `redline serve --listen 127.0.0.1:0 ARGS` in `dir` and waits until it listens.
    fn start(dir: &Scratch, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_redline"))
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .current_dir(&dir.0)
            .env("XDG_CONFIG_HOME", dir.0.join("xdg"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("redline runs");
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(rest) = line.split("serving on http://").nth(1) {
                    let addr = rest.split_whitespace().next().unwrap().to_string();
                    let _ = tx.send(addr);
                }
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        let addr = rx
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| panic!("the server did not start: {}", log.lock().unwrap()));
        Server {
            child,
            addr: addr.parse().unwrap(),
            log,
        }
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Waits until the server's stderr (read by another thread) has said `text`.
    fn wait_for_log(&self, text: &str) {
        let until = Instant::now() + Duration::from_secs(15);
        while !self.log().contains(text) {
            assert!(
                Instant::now() < until,
                "never said {text:?}: {}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn connect(&self) -> TcpStream {
        let s = TcpStream::connect(self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        s
    }

    /// One request on a fresh connection.
    fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
        let mut s = self.connect();
        send(&mut s, method, path, headers, body);
        read_reply(&mut s)
    }

    fn check(&self, body: Value) -> Reply {
        self.request(
            "POST",
            "/v1/check",
            &[("Content-Type", "application/json")],
            body.to_string().as_bytes(),
        )
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Waits for the process to exit; its exit code.
    fn wait(&mut self, limit: Duration) -> i32 {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().expect("exited normally");
            }
            assert!(
                started.elapsed() < limit,
                "still running after {limit:?}: {}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An answer.
#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn send(s: &mut TcpStream, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) {
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: test\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if !headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("content-length"))
    {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body).unwrap();
}

fn read_reply(s: &mut TcpStream) -> Reply {
    let mut reader = BufReader::new(s);
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    let status = line
        .split_whitespace()
        .nth(1)
        .unwrap_or_else(|| panic!("no status line: {line:?}"))
        .parse()
        .unwrap();
    let mut headers = Vec::new();
    loop {
        line.clear();
        reader.read_line(&mut line).unwrap();
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        let (n, v) = l.split_once(':').unwrap();
        headers.push((n.trim().to_string(), v.trim().to_string()));
    }
    let len: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .map_or(0, |(_, v)| v.parse().unwrap());
    let mut body = vec![0; len];
    reader.read_exact(&mut body).unwrap();
    Reply {
        status,
        headers,
        body,
    }
}

fn finding<'a>(reply: &'a Value, rule: &str) -> &'a Value {
    reply["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == rule)
        .unwrap_or_else(|| panic!("no {rule} in {reply:#}"))
}

fn span(f: &Value) -> (usize, usize) {
    (
        f["start"].as_u64().unwrap() as usize,
        f["end"].as_u64().unwrap() as usize,
    )
}

#[test]
fn a_failing_draft_gets_findings_with_exact_byte_spans() {
    let s = Scratch::new();
    let server = Server::start(&s, &[]);
    // Multi-byte characters before the matches: offsets are bytes, columns characters.
    let text = "Subject: Quick question\n\nHi Zoë 👋,\n\nI hope this email finds you well. I wanted to reach out about Q3.\n";
    let reply = server.check(json!({ "text": text }));
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let v = reply.json();
    assert_eq!(v["pass"], false);
    assert_eq!(v["fail_on"], "error");
    for f in v["findings"].as_array().unwrap() {
        let (start, end) = span(f);
        assert_eq!(&text[start..end], f["match"], "{f:#}");
        assert_eq!(f["path"], "<request>");
    }
    let opener = finding(&v, "corporate-ai.hope-this-finds-you-well");
    let at = text.find("I hope").unwrap();
    assert_eq!(
        span(opener),
        (at, at + "I hope this email finds you well".len())
    );
    assert_eq!(opener["severity"], "error");
    assert_eq!((&opener["line"], &opener["column"]), (&json!(5), &json!(1)));
    let reach = finding(&v, "corporate-ai.wanted-to-reach-out");
    assert_eq!(reach["column"], 35);
    let subject = finding(&v, "corporate-ai.subject-cliche");
    assert_eq!(span(subject), (9, 23));

    // The same object `redline check --format json` prints, path aside.
    let cli = s.run(&["check", "--format", "json", "-"], Some(text));
    let lines = support::json_lines(&cli);
    assert_eq!(lines.len(), v["findings"].as_array().unwrap().len());
    for (mut line, served) in lines.into_iter().zip(v["findings"].as_array().unwrap()) {
        line["path"] = "<request>".into();
        assert_eq!(&line, served);
    }
}

#[test]
fn a_human_draft_passes_and_fail_on_is_per_request() {
    let s = Scratch::new();
    let server = Server::start(&s, &[]);
    let v = server.check(json!({ "text": HUMAN_DRAFT })).json();
    assert_eq!(v["pass"], true, "{v:#}");
    assert_eq!(v["findings"], json!([]));

    // Only an info finding: passes at the default level, fails at `info`.
    let text =
        "Subject: Quick question\n\nHi Sam, saw the Denver opening. Worth a call Thursday?\n";
    let v = server.check(json!({ "text": text })).json();
    assert_eq!(v["pass"], true, "{v:#}");
    assert!(!v["findings"].as_array().unwrap().is_empty());
    let v = server
        .check(json!({ "text": text, "fail_on": "info", "name": "draft-42" }))
        .json();
    assert_eq!(v["pass"], false);
    assert_eq!(v["fail_on"], "info");
    assert_eq!(v["findings"][0]["path"], "draft-42");

    // A marker that silences nothing is named in the notes.
    let text = format!("<!-- redline-disable corporate-ai.hype-verb -->\n{HUMAN_DRAFT}");
    let v = server.check(json!({ "text": text })).json();
    assert_eq!(
        v["notes"],
        json!([
            "inline marker names unknown rule `corporate-ai.hype-verb`; did you mean `corporate-ai.hype-verbs`?"
        ])
    );
}

#[test]
fn a_draft_with_thousands_of_findings_lists_a_thousand_and_is_judged_on_all() {
    let s = Scratch::new();
    let server = Server::start(&s, &[]);
    // 1,500 info-level hype verbs, then one error-level opener past the cap.
    let text = format!(
        "{}\n\nI hope this email finds you well.\n",
        "We leverage it. ".repeat(1500)
    );
    let reply = server.check(json!({ "text": text }));
    assert_eq!(reply.status, 200, "{}", reply.text());
    let v = reply.json();
    let listed = v["findings"].as_array().unwrap();
    assert_eq!(listed.len(), 1000);
    assert_eq!(v["truncated"], true);
    assert!(
        v["findings_total"].as_u64().unwrap() > 1500,
        "{}",
        v["findings_total"]
    );
    assert!(listed.iter().all(|f| f["severity"] != "error"));
    assert_eq!(
        v["pass"], false,
        "the error past the cap still blocks the send"
    );
    let (start, end) = span(&listed[999]);
    assert_eq!(&text[start..end], listed[999]["match"]);
    assert!(
        reply.body.len() < 2 * 1024 * 1024,
        "{} bytes",
        reply.body.len()
    );

    let v = server.check(json!({ "text": AI_DRAFT })).json();
    assert_eq!(v["truncated"], false);
    assert_eq!(v["findings_total"], v["findings"].as_array().unwrap().len());
}

#[test]
fn subject_and_body_fields_get_offsets_into_each_field() {
    let s = Scratch::new();
    let server = Server::start(&s, &[]);
    let body = "Hi Ana,\n\nI wanted to reach out about the Lisbon office.\n";
    let v = server
        .check(json!({ "subject": "Quick question", "body": body }))
        .json();
    let subject = finding(&v, "corporate-ai.subject-cliche");
    assert_eq!(subject["field"], "subject");
    assert_eq!(span(subject), (0, 14));
    assert_eq!(
        (&subject["line"], &subject["column"]),
        (&json!(1), &json!(1))
    );
    let reach = finding(&v, "corporate-ai.wanted-to-reach-out");
    assert_eq!(reach["field"], "body");
    let at = body.find("I wanted").unwrap();
    assert_eq!(span(reach), (at, at + "I wanted to reach out".len()));
    assert_eq!((&reach["line"], &reach["column"]), (&json!(3), &json!(1)));
    let fix = &reach["fix"];
    if !fix.is_null() {
        let (fs, fe) = (fix["start"].as_u64().unwrap(), fix["end"].as_u64().unwrap());
        assert!(fs as usize <= at && at < fe as usize && fe as usize <= body.len());
    }
}

#[test]
fn field_positions_count_bytes_and_characters_across_crlf_tabs_and_emoji() {
    let s = Scratch::new();
    let server = Server::start(&s, &[]);
    let subject = "Zoë 👋\tQuick question";
    let body =
        "Hi Zoë 👋,\r\n\r\n\tI hope this email finds you well.\r\nI wanted to reach out.\r\n";
    let v = server
        .check(json!({ "subject": subject, "body": body }))
        .json();
    let cliche = finding(&v, "corporate-ai.subject-cliche");
    assert_eq!(cliche["field"], "subject");
    let at = subject.find("Quick").unwrap();
    assert_eq!(span(cliche), (at, at + "Quick question".len()));
    // Columns count characters: "Zoë 👋\t" is 6 of them before "Quick".
    assert_eq!((&cliche["line"], &cliche["column"]), (&json!(1), &json!(7)));
    for (rule, phrase, line, column) in [
        (
            "corporate-ai.hope-this-finds-you-well",
            "I hope this email finds you well",
            3,
            2,
        ),
        (
            "corporate-ai.wanted-to-reach-out",
            "I wanted to reach out",
            4,
            1,
        ),
    ] {
        let f = finding(&v, rule);
        assert_eq!(f["field"], "body");
        let at = body.find(phrase).unwrap();
        assert_eq!(span(f), (at, at + phrase.len()), "{rule}");
        assert_eq!(
            (&f["line"], &f["column"]),
            (&json!(line), &json!(column)),
            "{rule}"
        );
        assert_eq!(&body[at..at + phrase.len()], f["match"], "{rule}");
    }
}

#[test]
fn the_voice_score_evidence_points_into_the_body_field() {
    let s = Scratch::new();
    let server = Server::start(&s, &[]);
    let body = AI_DRAFT.split_once("\n\n").map_or(AI_DRAFT, |(_, b)| b);
    let v = server
        .check(json!({ "subject": "Following up", "body": body }))
        .json();
    let score = finding(&v, "corporate-ai.voice");
    assert_eq!(score["field"], "body");
    let placed: Vec<&Value> = score["evidence"]["contributions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["start"].is_u64())
        .collect();
    assert!(!placed.is_empty(), "{score:#}");
    for c in placed {
        assert_eq!(c["field"], "body", "{c:#}");
        let (start, end) = span(c);
        assert!(end <= body.len() && start <= end, "{c:#}");
        if let Some(text) = c["text"].as_str() {
            assert_eq!(
                body[start..end].to_lowercase(),
                text.to_lowercase(),
                "{c:#}"
            );
        }
    }
}

#[test]
fn every_answer_gives_each_score_below_its_warning_too_and_null_when_too_short() {
    let s = Scratch::new();
    let server = Server::start(&s, &[]);
    // The AI draft: the probability its finding reports.
    let v = server.check(json!({ "text": AI_DRAFT })).json();
    assert_eq!(v["scores"].as_array().unwrap().len(), 1, "{v:#}");
    assert_eq!(v["scores"][0]["rule"], "corporate-ai.voice");
    assert_eq!(
        v["scores"][0]["probability"],
        finding(&v, "corporate-ai.voice")["evidence"]["probability"]
    );
    // A human draft long enough to score: a probability, though no finding.
    let v = server.check(json!({ "text": HUMAN_DRAFT })).json();
    assert_eq!(v["findings"], json!([]), "{v:#}");
    let p = v["scores"][0]["probability"].as_f64().expect("scored");
    assert!(p > 0.0 && p < 1.0, "{v:#}");
    // Too short to score: null, which a sending tool must not read as "human".
    let v = server
        .check(json!({ "text": "Hi Sam, Thursday works for me. Jo" }))
        .json();
    assert_eq!(
        v["scores"],
        json!([{ "probability": null, "rule": "corporate-ai.voice" }])
    );

    let off = Server::start(&s, &["--disable", "corporate-ai.voice"]);
    assert_eq!(
        off.check(json!({ "text": AI_DRAFT })).json()["scores"],
        json!([])
    );
}

#[test]
fn a_request_names_the_writers_voice_profile() {
    let s = Scratch::new();
    for i in 0..20 {
        s.write(&format!("sent/{i:02}.txt"), support::casual(i));
    }
    std::fs::create_dir_all(s.0.join("voices")).unwrap();
    let o = s.run(&["voice", "learn", "-o", "voices/alex.toml", "sent"], None);
    assert_eq!(o.status.code(), Some(0), "{}", support::stderr(&o));
    let server = Server::start(&s, &["--voices", "voices"]);
    assert_eq!(
        server.request("GET", "/v1/rules", &[], b"").json()["voices"],
        json!(["alex"])
    );
    let voice_finding = |text: &str, voice: Option<&str>| {
        let mut body = json!({ "text": text });
        if let Some(v) = voice {
            body["voice"] = v.into();
        }
        let v = server.check(body).json();
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == "voice.not-your-voice")
            .cloned()
    };
    let departs =
        voice_finding(support::POLISHED, Some("alex")).expect("the polished draft departs");
    assert_eq!(departs["severity"], "warning");
    assert!(departs["evidence"]["distance"].is_number(), "{departs:#}");
    assert_eq!(voice_finding(&support::casual(30), Some("alex")), None);
    assert_eq!(
        voice_finding(support::POLISHED, None),
        None,
        "no voice named, none compared"
    );

    let unknown = server.check(json!({ "text": "Hi", "voice": "sam" }));
    assert_eq!(unknown.status, 400);
    assert!(
        unknown.json()["error"]
            .as_str()
            .unwrap()
            .contains("known: alex"),
        "{}",
        unknown.text()
    );

    // A broken profile in the folder keeps the server from starting, naming the file.
    s.write(
        "broken/bob.toml",
        "format = \"redline-voice-profile\"\nversion = 999\n",
    );
    let o = Command::new(env!("CARGO_BIN_EXE_redline"))
        .args(["serve", "--listen", "127.0.0.1:0", "--voices", "broken"])
        .current_dir(&s.0)
        .env("XDG_CONFIG_HOME", s.0.join("xdg"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("bob.toml"), "{err}");
}

#[test]
fn a_mime_message_is_decoded_and_spans_point_into_its_bytes() {
    let s = Scratch::new();
    let server = Server::start(&s, &[]);
    let message = "From: Jordan <j@example.com>\r\nTo: priya@example.com\r\nSubject: Hello\r\n\
        MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\
        Content-Transfer-Encoding: quoted-printable\r\n\r\nHi Priya,\r\n\r\n\
        I hope this email finds you well. Caf=C3=A9 on Friday?\r\n";
    let reply = server.request(
        "POST",
        "/v1/check?fail_on=warning",
        &[("Content-Type", "message/rfc822")],
        message.as_bytes(),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let v = reply.json();
    assert_eq!(v["fail_on"], "warning");
    assert_eq!(v["pass"], false);
    let f = finding(&v, "corporate-ai.hope-this-finds-you-well");
    let (start, end) = span(f);
    assert_eq!(&message[start..end], "I hope this email finds you well");
    assert_eq!(f["part"]["exact"], true);
    assert_eq!(f["part"]["type"], "text/plain");

    // The same message as JSON text with kind "eml", and an HTML body.
    let v = server
        .check(json!({ "text": message, "kind": "eml" }))
        .json();
    assert_eq!(
        span(finding(&v, "corporate-ai.hope-this-finds-you-well")),
        (start, end)
    );
    let html = "<p>Hi Priya,</p><p>I hope this email finds you well.</p>";
    let v = server.check(json!({ "text": html, "kind": "html" })).json();
    let (hs, he) = span(finding(&v, "corporate-ai.hope-this-finds-you-well"));
    assert_eq!(&html[hs..he], "I hope this email finds you well");
}

#[test]
fn a_message_with_nothing_readable_never_passes_the_gate() {
    let s = Scratch::new();
    let server = Server::start(&s, &[]);
    // The text is only in a winmail.dat attachment: nothing of it was checked.
    let tnef = "Subject: Denver\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
        --b\r\nContent-Type: application/ms-tnef; name=\"winmail.dat\"\r\n\
        Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"winmail.dat\"\r\n\r\n\
        eJ8+IhAAAQaQCAAEAAAAAAABAAEAAQeQBgAIAAAA5AQAAAAAAADo\r\n--b--\r\n";
    let reply = server.request(
        "POST",
        "/v1/check",
        &[("Content-Type", "message/rfc822")],
        tnef.as_bytes(),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let v = reply.json();
    assert_eq!(v["findings_total"], 0);
    assert_eq!(v["unread"], true);
    assert_eq!(v["pass"], false, "{v}");
    assert!(
        v["notes"][0]
            .as_str()
            .unwrap()
            .contains("only attachments or a forwarded message; not checked"),
        "{v}"
    );
    // A readable clean message passes and says it was read.
    let clean = "Subject: Denver\r\n\r\nSee you at the Denver office on Friday at ten.\r\n";
    let v = server.check(json!({ "text": clean, "kind": "eml" })).json();
    assert_eq!(
        (v["pass"].clone(), v["unread"].clone()),
        (json!(true), json!(false))
    );
}

#[test]
fn bad_requests_get_json_errors() {
    let s = Scratch::new();
    let server = Server::start(&s, &["--max-body", "2000"]);
    let json_type = [("Content-Type", "application/json")];
    let cases: [(&[u8], u16, &str); 6] = [
        (b"{\"text\": \"Hi", 400, "bad JSON body"),
        (b"[1, 2]", 400, "bad JSON body"),
        (b"{\"txt\": \"Hi\"}", 400, "unknown field `txt`"),
        (b"{}", 400, "nothing to check"),
        (b"{\"text\": \"Hi\", \"subject\": \"S\"}", 400, "not both"),
        (
            b"{\"text\": \"Hi\", \"fail_on\": \"loud\"}",
            400,
            "unknown variant `loud`",
        ),
    ];
    for (body, status, says) in cases {
        let r = server.request("POST", "/v1/check", &json_type, body);
        assert_eq!(r.status, status, "{}", r.text());
        let error = r.json()["error"].as_str().unwrap().to_string();
        assert!(error.contains(says), "{error}");
    }

    for content_type in [
        Some("application/x-www-form-urlencoded"),
        Some("text/html"),
        None,
    ] {
        let headers: Vec<_> = content_type
            .map(|c| ("Content-Type", c))
            .into_iter()
            .collect();
        let r = server.request("POST", "/v1/check", &headers, b"text=hi");
        assert_eq!(r.status, 415, "{}", r.text());
        assert!(
            r.json()["error"]
                .as_str()
                .unwrap()
                .contains("application/json")
        );
    }

    let r = server.request("GET", "/v1/check", &[], b"");
    assert_eq!((r.status, r.header("allow")), (405, Some("POST")));
    let r = server.request("POST", "/healthz", &[], b"");
    assert_eq!((r.status, r.header("allow")), (405, Some("GET, HEAD")));
    // HEAD is answered wherever GET is: the GET answer's status and headers, no body.
    for path in ["/healthz", "/openapi.json"] {
        let get = server.request("GET", path, &[], b"");
        let mut s = server.connect();
        send(&mut s, "HEAD", path, &[("Connection", "close")], b"");
        let mut raw = String::new();
        s.read_to_string(&mut raw).unwrap();
        let (head, body) = raw.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 200"), "{path}: {head}");
        assert!(
            head.to_ascii_lowercase()
                .contains(&format!("content-length: {}", get.body.len())),
            "{path}: {head}"
        );
        assert_eq!(body, "", "{path}: no body");
    }
    let r = server.request("POST", "/v1/nope", &[], b"");
    assert_eq!(r.status, 404);
    assert!(r.json()["error"].is_string());
}

#[test]
fn requests_that_are_not_http_get_json_errors_too() {
    let s = Scratch::new();
    let server = Server::start(&s, &[]);
    let check = "POST /v1/check HTTP/1.1\r\nHost: test\r\nContent-Type: text/plain\r\n";
    let cases: [(Vec<u8>, u16, &str); 5] = [
        (b"GARBAGE\r\n\r\n".to_vec(), 400, "not valid HTTP/1.1"),
        (
            format!("{check}Content-Length: -5\r\n\r\n").into_bytes(),
            400,
            "Content-Length",
        ),
        (
            format!("{check}Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello").into_bytes(),
            400,
            "given twice",
        ),
        (
            format!(
                "GET /healthz HTTP/1.1\r\nHost: test\r\nX-Big: {}\r\n\r\n",
                "a".repeat(2 << 20)
            )
            .into_bytes(),
            431,
            "headers are too large",
        ),
        (
            format!(
                "GET /{} HTTP/1.1\r\nHost: test\r\n\r\n",
                "a".repeat(100_000)
            )
            .into_bytes(),
            414,
            "URI is too long",
        ),
    ];
    for (request, status, says) in cases {
        let mut c = server.connect();
        // The server may answer and close before a 2 MB header is all sent.
        let _ = c.write_all(&request);
        let r = read_reply(&mut c);
        assert_eq!(r.status, status, "{}", r.text());
        assert_eq!(r.header("content-type"), Some("application/json"));
        let error = r.json()["error"].as_str().unwrap().to_string();
        assert!(error.contains(says), "{error}");
    }
    // The connection still works for requests that are HTTP, one after another.
    let mut c = server.connect();
    for _ in 0..2 {
        send(&mut c, "GET", "/healthz", &[], b"");
        assert_eq!(read_reply(&mut c).json()["status"], "ok");
    }
}

#[test]
fn a_limit_of_zero_is_refused_at_startup() {
    let s = Scratch::new();
    for flag in ["--max-body", "--max-checks", "--timeout"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_redline"))
            .args(["serve", "--listen", "127.0.0.1:0", flag, "0"])
            .current_dir(&s.0)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let until = Instant::now() + Duration::from_secs(15);
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > until {
                let _ = child.kill();
                let _ = child.wait();
                panic!("`serve {flag} 0` started serving");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        assert_eq!(status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains(flag) && stderr.contains("1 or more"),
            "{stderr}"
        );
    }
}

#[test]
fn an_oversized_body_is_refused_before_it_is_sent() {
    let s = Scratch::new();
    let server = Server::start(&s, &["--max-body", "2000"]);
    // Only the headers go out: the answer must come without the body.
    let mut conn = server.connect();
    conn.write_all(
        b"POST /v1/check HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 50000000\r\n\r\n{\"text\": \"",
    )
    .unwrap();
    let r = read_reply(&mut conn);
    assert_eq!(r.status, 413, "{}", r.text());
    assert!(
        r.json()["error"]
            .as_str()
            .unwrap()
            .contains("2000 byte limit")
    );

    // A chunked body is cut off as soon as it passes the limit.
    let mut conn = server.connect();
    conn.write_all(
        b"POST /v1/check HTTP/1.1\r\nHost: t\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n",
    )
    .unwrap();
    let chunk = "a".repeat(1500);
    for _ in 0..2 {
        conn.write_all(format!("{:x}\r\n{chunk}\r\n", chunk.len()).as_bytes())
            .unwrap();
    }
    let r = read_reply(&mut conn);
    assert_eq!(r.status, 413, "{}", r.text());

    // Just under the limit is fine.
    let r = server.check(json!({ "text": "x".repeat(1900) }));
    assert_eq!(r.status, 200, "{}", r.text());
}

#[test]
fn a_stalled_body_times_out_and_checks_beyond_the_bound_wait_then_get_503() {
    let s = Scratch::new();
    let server = Server::start(&s, &["--timeout", "2", "--max-checks", "1"]);
    let mut stalled = server.connect();
    stalled
        .write_all(b"POST /v1/check HTTP/1.1\r\nHost: t\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\nHi")
        .unwrap();
    std::thread::sleep(Duration::from_millis(200));
    // The stalled upload holds the only check slot: this one waits half the timeout for it.
    let r = server.request(
        "POST",
        "/v1/check",
        &[("Content-Type", "text/plain")],
        b"Hi there",
    );
    assert_eq!(r.status, 503, "{}", r.text());
    assert_eq!(r.header("retry-after"), Some("1"));
    let r = read_reply(&mut stalled);
    assert_eq!(r.status, 408, "{}", r.text());
    // The slot is free again.
    let r = server.request(
        "POST",
        "/v1/check",
        &[("Content-Type", "text/plain")],
        b"Hi there",
    );
    assert_eq!(r.status, 200, "{}", r.text());
}

#[test]
fn a_token_guards_everything_but_health_and_is_required_beyond_loopback() {
    let s = Scratch::new();
    let token = s.write("token", "s3cret-Token_1\n");
    let server = Server::start(&s, &["--token-file", token.to_str().unwrap()]);
    let check = |auth: Option<&str>| {
        let mut headers = vec![("Content-Type", "application/json")];
        headers.extend(auth.map(|a| ("Authorization", a)));
        server.request("POST", "/v1/check", &headers, b"{\"text\": \"Hi\"}")
    };
    let r = check(None);
    assert_eq!(r.status, 401);
    assert_eq!(
        r.header("www-authenticate"),
        Some("Bearer realm=\"redline\"")
    );
    assert_eq!(check(Some("Bearer s3cret-Token_2")).status, 401);
    assert_eq!(check(Some("Bearer s3cret-Token_1x")).status, 401);
    assert_eq!(check(Some("s3cret-Token_1")).status, 401);
    assert_eq!(check(Some("Bearer s3cret-Token_1")).status, 200);
    assert_eq!(
        check(Some("bearer s3cret-Token_1")).status,
        200,
        "the scheme is case-insensitive"
    );
    assert_eq!(check(Some("Bearer S3CRET-token_1")).status, 401);
    assert_eq!(server.request("GET", "/v1/rules", &[], b"").status, 401);
    assert_eq!(server.request("GET", "/metrics", &[], b"").status, 401);
    assert_eq!(server.request("GET", "/healthz", &[], b"").status, 200);

    let o = s.run(&["serve", "--listen", "0.0.0.0:0"], None);
    assert_eq!(support::code(&o), 2);
    assert!(
        support::stderr(&o).contains("refusing to listen on 0.0.0.0:0 without --token-file"),
        "{}",
        support::stderr(&o)
    );
    s.write("empty", "\n");
    let o = s.run(&["serve", "--token-file", "empty"], None);
    assert_eq!(support::code(&o), 2);
    assert!(support::stderr(&o).contains("the token file must hold one token"));
}

#[test]
fn rules_health_and_metrics_describe_the_running_server() {
    let s = Scratch::new();
    let server = Server::start(&s, &["--disable", "corporate-ai.subject-cliche"]);
    let rules = server.request("GET", "/v1/rules", &[], b"").json();
    let cliche = rules["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "corporate-ai.subject-cliche")
        .unwrap();
    assert_eq!(cliche["enabled"], false);
    assert!(
        rules["packs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "corporate-ai")
    );

    let health = server.request("GET", "/healthz", &[], b"").json();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["reload_error"], Value::Null);
    let running = rules["rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["enabled"] == true)
        .count();
    assert_eq!(health["rules"], running);

    assert_eq!(server.check(json!({ "text": AI_DRAFT })).status, 200);
    assert_eq!(server.check(json!({ "text": HUMAN_DRAFT })).status, 200);
    assert_eq!(server.check(json!({ "txt": 1 })).status, 400);
    let r = server.request("GET", "/metrics", &[], b"");
    assert!(
        r.header("content-type")
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    let text = r.text();
    for line in [
        "redline_checks_total{result=\"pass\"} 1",
        "redline_checks_total{result=\"fail\"} 1",
        "redline_http_requests_total{endpoint=\"/v1/check\",code=\"200\"} 2",
        "redline_http_requests_total{endpoint=\"/v1/check\",code=\"400\"} 1",
        "redline_findings_total{rule=\"corporate-ai.hope-this-finds-you-well\",severity=\"error\"} 1",
        "redline_http_request_duration_seconds_count{endpoint=\"/v1/check\"} 3",
        &format!("redline_rules_active {running}"),
    ] {
        assert!(text.lines().any(|l| l == line), "{line} missing:\n{text}");
    }
    assert!(!text.contains("subject-cliche"));
}

const PACK: &str = "name = \"team\"\nversion = \"1\"\ndescription = \"d\"\n";

fn team_rule(phrase: &str) -> String {
    format!(
        "[[rule]]\nid = \"team.banned\"\nkind = \"phrase\"\nseverity = \"error\"\nmessage = \"{{match}}\"\nwhy = \"w\"\ninstead = \"i\"\nphrases = [\"{phrase}\"]\nexamples.bad = [\"we {phrase}\"]\n"
    )
}

/// Whether the team rule flags `text` on this server.
fn flags(server: &Server, text: &str) -> bool {
    let r = server.check(json!({ "text": text }));
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == "team.banned")
}

#[test]
fn a_changed_pack_reloads_while_requests_keep_coming() {
    let s = Scratch::new();
    s.write("team/pack.toml", PACK);
    s.write("team/words.toml", team_rule("synergy"));
    let server = Arc::new(Server::start(&s, &["--pack", "team"]));
    assert!(flags(&server, "Pure synergy here."));

    // Requests run back to back on four connections the whole time.
    let stop = Arc::new(AtomicBool::new(false));
    let answered = Arc::new(AtomicUsize::new(0));
    let load: Vec<_> = (0..4)
        .map(|_| {
            let (server, stop, answered) = (server.clone(), stop.clone(), answered.clone());
            std::thread::spawn(move || {
                let mut conn = server.connect();
                let body = json!({ "text": AI_DRAFT }).to_string();
                while !stop.load(Ordering::SeqCst) {
                    send(
                        &mut conn,
                        "POST",
                        "/v1/check",
                        &[("Content-Type", "application/json")],
                        body.as_bytes(),
                    );
                    let r = read_reply(&mut conn);
                    assert_eq!(r.status, 200, "{}", r.text());
                    answered.fetch_add(1, Ordering::SeqCst);
                }
            })
        })
        .collect();

    s.write("team/words.toml", team_rule("circle back"));
    let until = Instant::now() + Duration::from_secs(15);
    while !flags(&server, "Let me circle back.") {
        assert!(Instant::now() < until, "no reload: {}", server.log());
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!flags(&server, "Pure synergy here."));

    // A broken edit keeps the rules in use, and says why.
    s.write(
        "team/words.toml",
        "[[rule]]\nid = \"team.banned\"\nflavour = 1\n",
    );
    let until = Instant::now() + Duration::from_secs(15);
    let health = loop {
        let h = server.request("GET", "/healthz", &[], b"").json();
        if !h["reload_error"].is_null() {
            break h;
        }
        assert!(Instant::now() < until, "no failed reload: {}", server.log());
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        health["reload_error"]
            .as_str()
            .unwrap()
            .contains("words.toml"),
        "{health:#}"
    );
    assert!(flags(&server, "Let me circle back."));

    stop.store(true, Ordering::SeqCst);
    for t in load {
        t.join().expect("no request failed during the reloads");
    }
    assert!(answered.load(Ordering::SeqCst) > 0);
    server.wait_for_log("still checking with the rules loaded before");
}

#[cfg(unix)]
#[test]
fn sighup_reloads_the_config() {
    let s = Scratch::new();
    s.write(".redline.toml", "fail_on = \"error\"\n");
    let server = Server::start(&s, &[]);
    let text =
        "Subject: Quick question\n\nHi Sam, saw the Denver opening. Worth a call Thursday?\n";
    assert_eq!(server.check(json!({ "text": text })).json()["pass"], true);
    server.signal("HUP");
    let until = Instant::now() + Duration::from_secs(15);
    // The log line is read from the server's stderr by another thread: wait for it too.
    while server.request("GET", "/healthz", &[], b"").json()["reloads"] != 1
        || !server.log().contains("rules reloaded after SIGHUP")
    {
        assert!(Instant::now() < until, "no reload: {}", server.log());
        std::thread::sleep(Duration::from_millis(20));
    }
    // The config changes too: noticed without a signal.
    s.write(".redline.toml", "fail_on = \"info\"\n");
    let until = Instant::now() + Duration::from_secs(15);
    while server.check(json!({ "text": text })).json()["pass"] != false {
        assert!(
            Instant::now() < until,
            "config not reloaded: {}",
            server.log()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[cfg(unix)]
#[test]
fn sigterm_finishes_requests_in_flight_then_exits_0() {
    let s = Scratch::new();
    let mut server = Server::start(&s, &[]);
    // An idle keep-alive connection must not hold the shutdown up.
    let mut idle = server.connect();
    send(&mut idle, "GET", "/healthz", &[], b"");
    assert_eq!(read_reply(&mut idle).status, 200);

    // A request whose body is still on its way when the signal comes.
    let body = json!({ "text": AI_DRAFT }).to_string();
    let (first, rest) = body.as_bytes().split_at(40);
    let mut in_flight = server.connect();
    let head = format!(
        "POST /v1/check HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    in_flight.write_all(head.as_bytes()).unwrap();
    in_flight.write_all(first).unwrap();
    std::thread::sleep(Duration::from_millis(200));

    server.signal("TERM");
    server.wait_for_log("stopping");
    assert!(
        TcpStream::connect(server.addr).is_err(),
        "new connections are refused while draining"
    );
    in_flight.write_all(rest).unwrap();
    let r = read_reply(&mut in_flight);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["pass"], false);
    assert_eq!(server.wait(Duration::from_secs(10)), 0, "{}", server.log());
    server.wait_for_log("redline: stopped\n");
}

#[test]
fn the_openapi_document_matches_the_handlers() {
    let s = Scratch::new();
    let token = s.write("token", "t0ken");
    let server = Server::start(&s, &["--token-file", token.to_str().unwrap()]);
    let committed: Value = serde_json::from_str(redline_serve::http::OPENAPI).unwrap();
    let served = server.request("GET", "/openapi.json", &[], b"");
    assert_eq!(served.json(), committed);
    assert_eq!(committed["openapi"], "3.1.0");

    // Exactly the endpoints the router answers, with their methods and auth.
    let mut documented: Vec<(String, String)> = Vec::new();
    for (path, ops) in committed["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            documented.push((method.to_uppercase(), path.clone()));
            let public = op["security"] == json!([{}]);
            let endpoint = redline_serve::http::ENDPOINTS
                .iter()
                .find(|e| e.path == path && e.method.as_str() == method.to_uppercase())
                .unwrap_or_else(|| panic!("{method} {path} is documented but not served"));
            assert_eq!(!endpoint.auth, public, "{path}: security");
        }
    }
    let mut served_endpoints: Vec<(String, String)> = redline_serve::http::ENDPOINTS
        .iter()
        .map(|e| (e.method.to_string(), e.path.to_string()))
        .collect();
    documented.sort();
    served_endpoints.sort();
    assert_eq!(documented, served_endpoints);

    // Every property a check request documents is accepted, and nothing else.
    let request = &committed["components"]["schemas"]["CheckRequest"];
    for (field, example) in [
        ("text", json!("Hi")),
        ("kind", json!("text")),
        ("fail_on", json!("warning")),
        ("name", json!("n")),
    ] {
        assert!(request["properties"].get(field).is_some(), "{field}");
        let mut body = json!({ "text": "Hi" });
        body[field] = example;
        let r = authed(&server, "POST", "/v1/check", "application/json", &body);
        assert_eq!(r.status, 200, "{field}: {}", r.text());
    }
    let r = authed(
        &server,
        "POST",
        "/v1/check",
        "application/json",
        &json!({ "subject": "S", "body": "B" }),
    );
    assert_eq!(r.status, 200);
    let documented_fields: Vec<_> = request["properties"].as_object().unwrap().keys().collect();
    assert_eq!(
        documented_fields,
        [
            "body", "fail_on", "kind", "name", "subject", "text", "voice"
        ]
    );
    assert_eq!(
        authed(
            &server,
            "POST",
            "/v1/check",
            "application/json",
            &json!({ "text": "Hi", "voice": "x" })
        )
        .status,
        400
    );

    // Each answer fits the schema documented for its status and content type.
    let answers = [
        ("POST", "/v1/check", json!({ "text": AI_DRAFT })),
        (
            "POST",
            "/v1/check",
            json!({ "subject": "Quick question", "body": AI_DRAFT }),
        ),
        (
            "POST",
            "/v1/check",
            json!({ "text": "<p>I hope this email finds you well</p>", "kind": "html" }),
        ),
        ("POST", "/v1/check", json!({ "nope": 1 })),
        ("GET", "/v1/rules", Value::Null),
        ("GET", "/healthz", Value::Null),
        ("GET", "/metrics", Value::Null),
        ("DELETE", "/healthz", Value::Null),
    ];
    for (method, path, body) in answers {
        let r = authed(&server, method, path, "application/json", &body);
        let op_method = if method == "DELETE" {
            "get"
        } else {
            &method.to_lowercase()
        };
        let response = &committed["paths"][path][op_method]["responses"][r.status.to_string()];
        assert!(
            !response.is_null(),
            "{method} {path}: {} undocumented",
            r.status
        );
        let response = resolve(&committed, response);
        let media = r.header("content-type").unwrap().split(';').next().unwrap();
        let schema = &response["content"][media]["schema"];
        assert!(
            !schema.is_null(),
            "{path} {}: {media} undocumented",
            r.status
        );
        let value = if media == "application/json" {
            r.json()
        } else {
            Value::String(r.text())
        };
        validate(&committed, schema, &value, path);
    }
    let unauthorized = server.request("GET", "/v1/rules", &[], b"");
    assert_eq!(unauthorized.status, 401);
    assert!(!committed["paths"]["/v1/rules"]["get"]["responses"]["401"].is_null());
}

fn authed(server: &Server, method: &str, path: &str, media: &str, body: &Value) -> Reply {
    let bytes = if body.is_null() {
        Vec::new()
    } else {
        body.to_string().into_bytes()
    };
    server.request(
        method,
        path,
        &[("Authorization", "Bearer t0ken"), ("Content-Type", media)],
        &bytes,
    )
}

fn resolve<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    match v["$ref"].as_str() {
        Some(r) => doc
            .pointer(r.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("dangling {r}")),
        None => v,
    }
}

/// Checks `value` against the subset of JSON Schema the document uses: `$ref`, `type` (one
/// or a list), `enum`, `oneOf`, `properties`, `required`, `additionalProperties: false` and
/// `items`. Every property of an object must be documented.
fn validate(doc: &Value, schema: &Value, value: &Value, at: &str) {
    let schema = resolve(doc, schema);
    if let Some(options) = schema["oneOf"].as_array() {
        let fits = options.iter().filter(|o| fits(doc, o, value)).count();
        assert_eq!(fits, 1, "{at}: {value} fits {fits} of oneOf");
        return;
    }
    if let Some(types) = schema.get("type") {
        let types: Vec<&str> = match types {
            Value::String(t) => vec![t.as_str()],
            list => list
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap())
                .collect(),
        };
        let actual = match value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_u64() || n.is_i64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        assert!(types.contains(&actual), "{at}: {value} is not {types:?}");
    }
    if let Some(allowed) = schema["enum"].as_array() {
        assert!(allowed.contains(value), "{at}: {value} not in {allowed:?}");
    }
    if let (Some(object), Some(properties)) = (value.as_object(), schema["properties"].as_object())
    {
        for required in schema["required"].as_array().into_iter().flatten() {
            let name = required.as_str().unwrap();
            assert!(
                object.contains_key(name),
                "{at}: `{name}` missing in {value}"
            );
        }
        for (name, v) in object {
            let property = properties
                .get(name)
                .unwrap_or_else(|| panic!("{at}: `{name}` is not documented"));
            validate(doc, property, v, &format!("{at}.{name}"));
        }
    }
    if let (Some(items), Some(schema)) = (value.as_array(), schema.get("items")) {
        for (i, item) in items.iter().enumerate() {
            validate(doc, schema, item, &format!("{at}[{i}]"));
        }
    }
}

fn fits(doc: &Value, schema: &Value, value: &Value) -> bool {
    let (doc, schema, value) = (doc.clone(), schema.clone(), value.clone());
    std::panic::catch_unwind(move || validate(&doc, &schema, &value, "")).is_ok()
}

/// The fenced blocks in the README's `redline serve` section, with their language.
fn readme_examples() -> Vec<(String, String)> {
    let readme = include_str!("../README.md");
    let start = readme
        .find("### In outbound tooling: `redline serve`")
        .expect("the README has the serve section");
    let section = &readme[start..];
    let section = &section[..section[4..].find("\n### ").map_or(section.len(), |i| i + 4)];
    let mut blocks = Vec::new();
    let mut rest = section;
    while let Some(open) = rest.find("```") {
        let after = &rest[open + 3..];
        let (lang, body) = after.split_once('\n').unwrap();
        let close = body.find("```").unwrap();
        blocks.push((lang.to_string(), body[..close].to_string()));
        rest = &body[close + 3..];
    }
    blocks
}

fn example(lang: &str, containing: &str) -> String {
    readme_examples()
        .into_iter()
        .find(|(l, b)| l == lang && b.contains(containing))
        .unwrap_or_else(|| panic!("no {lang} example with {containing:?} in the README"))
        .1
}

/// Whether `program` runs here; says so when it does not, and the test skips that example.
fn have(program: &str) -> bool {
    let ok = Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("skipping the README's {program} example: `{program}` is not installed");
    }
    ok
}

#[test]
fn the_readme_examples_work() {
    let s = Scratch::new();
    let server = Server::start(&s, &[]);
    let url = format!("http://{}", server.addr);
    let live = |code: String| code.replace("http://127.0.0.1:8080", &url);

    if have("curl") {
        let out = Command::new("sh")
            .args(["-c", &live(example("console", "curl"))])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["pass"], false);
        assert_eq!(
            span(finding(&v, "corporate-ai.hope-this-finds-you-well")),
            (9, 41)
        );
    }

    if have("python3") {
        let hook = example("python", "urllib");
        assert!(hook.lines().count() <= 15, "the hook is meant to be short");
        let path = s.write("hook.py", &hook);
        let run = |draft: &str| {
            let mut child = Command::new("python3")
                .arg(&path)
                .env("REDLINE_URL", &url)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            child
                .stdin
                .take()
                .unwrap()
                .write_all(draft.as_bytes())
                .unwrap();
            child.wait_with_output().unwrap()
        };
        let blocked = run(AI_DRAFT);
        assert_eq!(blocked.status.code(), Some(1), "{blocked:?}");
        let said = String::from_utf8_lossy(&blocked.stderr);
        assert!(
            said.contains("5:1 error: “I hope this email finds you well”"),
            "{said}"
        );
        let sent = run(HUMAN_DRAFT);
        assert_eq!(sent.status.code(), Some(0), "{sent:?}");
    }

    if have("node") {
        let out = Command::new("node")
            .args(["--input-type=module", "-e", &live(example("js", "fetch"))])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let printed = String::from_utf8_lossy(&out.stdout);
        assert!(
            printed.contains("subject 0-14 corporate-ai.subject-cliche"),
            "{printed}"
        );
        assert!(
            printed.contains("body 0-21 corporate-ai.wanted-to-reach-out"),
            "{printed}"
        );
        assert_eq!(printed.lines().last(), Some("blocked"));
    }
}
