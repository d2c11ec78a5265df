//! `redline serve`: flags to the HTTP service in `redline-serve`.

use std::time::Duration;

use crate::{ServeArgs, exit, settings};

/// Runs the service until SIGTERM or SIGINT; exit 0 after draining, 2 when it cannot start.
pub fn serve(args: ServeArgs) -> u8 {
    let options = redline_serve::Options {
        listen: args.listen,
        config: args.rules.config.clone(),
        flags: settings::flags(&args.rules),
        token_file: args.token_file,
        max_body: args.max_body,
        timeout: Duration::from_secs(args.timeout),
        max_checks: args.max_checks,
        voices: args.voices,
        ..redline_serve::Options::default()
    };
    match redline_serve::run(options) {
        Ok(()) => exit::CLEAN,
        Err(e) => {
            for line in e.lines() {
                eprintln!("redline: {line}");
            }
            exit::TROUBLE
        }
    }
}
