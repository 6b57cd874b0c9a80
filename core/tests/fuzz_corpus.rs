//! Replays the committed fuzz corpus (fuzz/corpus/core) through the fuzz target's checks, without the fuzzer:
//! every input it ever kept, including any that once found a bug, stays fixed in the normal `cargo test`.

#[path = "../../fuzz/harness.rs"]
mod harness;

use std::fs;
use std::path::Path;

#[test]
fn the_fuzz_corpus_replays_without_a_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus/core");
    let mut replayed = 0;
    for entry in fs::read_dir(&dir).expect("fuzz/corpus/core is committed") {
        let path = entry.unwrap().path();
        harness::run(&fs::read(&path).unwrap());
        replayed += 1;
    }
    assert!(
        replayed >= 10,
        "only {replayed} inputs in {}",
        dir.display()
    );
}
