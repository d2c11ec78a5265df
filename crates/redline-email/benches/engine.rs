//! Engine throughput on generated drafts: `cargo bench -p redline-email`.

fn main() {
    divan::main();
}
