//! Files the build ships that are generated from the code by a test (the placeholder stylesheet, the
//! registry): each test compares the file with what the code gives now, and rewrites it when asked.

/// Fails unless the file at `path` (from the crate's root) holds `generated`; with the environment variable
/// `update` set, writes it first. `test` names the test to rerun, for the message.
pub(crate) fn check(path: &str, generated: &str, update: &str, test: &str) {
    let path = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os(update).is_some() {
        std::fs::write(&path, generated).unwrap();
    }
    let shipped = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        shipped == generated,
        "{path} is out of date: {update}=1 cargo test -p anypoint-signin {test}"
    );
}
