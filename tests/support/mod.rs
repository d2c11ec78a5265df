//! A scratch folder that runs the real `redline` binary, shared by the end-to-end tests.
//!
//! Each scratch folder has its own empty user config dir, so nothing on the machine leaks in.
//! Every test file includes this module and uses part of it.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A scratch folder for one test, removed when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    /// A new, empty folder.
    pub fn new() -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "redline-test-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("xdg")).unwrap();
        Scratch(dir)
    }

    /// Writes a file (creating folders); returns its absolute path.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.0.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, contents).unwrap();
        p
    }

    /// Runs `redline` here with `args`, feeding `stdin` when given.
    pub fn run(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut child = Command::new(env!("CARGO_BIN_EXE_redline"))
            .args(args)
            .current_dir(&self.0)
            .env("XDG_CONFIG_HOME", self.0.join("xdg"))
            .env("NO_COLOR", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("redline runs");
        {
            use std::io::Write;
            let mut pipe = child.stdin.take().unwrap();
            if let Some(s) = stdin {
                // redline may stop reading early (a draft over its size limit).
                match pipe.write_all(s.as_bytes()) {
                    Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                    written => written.unwrap(),
                }
            }
        }
        child.wait_with_output().unwrap()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The exit code.
pub fn code(o: &Output) -> i32 {
    o.status.code().expect("exited normally")
}

/// Standard output as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Standard error as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Standard output as JSON Lines.
pub fn json_lines(o: &Output) -> Vec<serde_json::Value> {
    stdout(o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

/// One message of a casual writer (for voice profiles): no greeting, lower-case 'i',
/// contractions, short sentences; the first 28 are all different.
pub fn casual(i: usize) -> String {
    let topics = [
        "the build",
        "the rpm",
        "that patch",
        "the list",
        "my box",
        "the bug",
        "the mirror",
    ];
    let t = topics[i % topics.len()];
    let extra = match i % 4 {
        0 => " btw it's late here.",
        1 => " dunno, maybe the kernel.",
        2 => " no rush.",
        _ => "",
    };
    format!(
        "yeah i looked at {t} again. it's still broken on my side, can't tell why.{extra}\n\ni'll poke at it tonight. don't wait for me.\n"
    )
}

/// The casual writer's message as an email client's "polish" button would rewrite it.
pub const POLISHED: &str = "Dear team,\n\nI have reviewed the build again. Unfortunately, it is still not working on my end, and I cannot determine why. Additionally, I will investigate further this evening to ensure a seamless resolution.\n\nPlease do not wait for me.\n\nBest regards,\nAlex\n";
