//! Replays a fuzz target's seeds and the inputs that once failed it (`fuzz/seeds/TARGET`,
//! `fuzz/regressions/TARGET`) through its check; used by the replay tests of the crates whose
//! code the targets drive. Answers how many inputs it replayed.

use std::path::Path;

pub fn replay(target: &str, check: fn(&[u8])) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let mut count = 0;
    for kind in ["seeds", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root.join(kind).join(target)) else {
            continue;
        };
        for entry in entries.flatten() {
            let data = std::fs::read(entry.path()).expect("input");
            check(&data);
            count += 1;
        }
    }
    count
}
