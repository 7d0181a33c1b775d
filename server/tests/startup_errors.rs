//! A bad configuration ends start-up with one clear line naming the problem: no panic, no
//! backtrace, a non-zero exit status.

use std::process::Command;

/// Runs `server migrate` with `variables` and returns (success, stderr).
fn migrate_with(variables: &[(&str, &str)]) -> (bool, String) {
    let folder = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("migrate")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATA_DIR", folder.path())
        .envs(variables.iter().copied())
        .output()
        .expect("the server binary runs");
    (output.status.success(), String::from_utf8_lossy(&output.stderr).into_owned())
}

fn assert_one_clear_line(stderr: &str, expected: &[&str]) {
    let lines: Vec<&str> = stderr.lines().filter(|line| !line.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "exactly one line: {stderr}");
    assert!(lines[0].starts_with("error: "), "{stderr}");
    for part in expected {
        assert!(lines[0].contains(part), "{part:?} missing from {stderr}");
    }
    assert!(!stderr.contains("panicked") && !stderr.contains("backtrace"), "{stderr}");
}

#[test]
fn a_bad_database_url_is_named() {
    let (ok, stderr) = migrate_with(&[("DATABASE_URL", "mysql://root@127.0.0.1/portal")]);
    assert!(!ok);
    assert_one_clear_line(&stderr, &["DATABASE_URL", "sqlite: or postgres:"]);
}

#[test]
fn an_unreachable_postgres_is_named() {
    // Port 1 on loopback: nothing listens there, the connection is refused at once.
    let (ok, stderr) = migrate_with(&[("DATABASE_URL", "postgres://postgres:secret@127.0.0.1:1/portal")]);
    assert!(!ok);
    assert_one_clear_line(&stderr, &["PostgreSQL", "127.0.0.1:1"]);
    assert!(!stderr.contains("secret"), "the password never reaches the message: {stderr}");
}

#[test]
fn an_unwritable_data_folder_is_named() {
    // Even root cannot create folders under /proc.
    let (ok, stderr) = migrate_with(&[("DATA_DIR", "/proc/portal-data")]);
    assert!(!ok);
    assert_one_clear_line(&stderr, &["DATA_DIR", "/proc/portal-data"]);
}

#[test]
fn a_bad_listen_address_is_named() {
    let (ok, stderr) = migrate_with(&[("LISTEN_ADDR", "everywhere")]);
    assert!(!ok);
    assert_one_clear_line(&stderr, &["LISTEN_ADDR", "everywhere"]);
}

#[test]
fn a_good_configuration_migrates() {
    let (ok, stderr) = migrate_with(&[]);
    assert!(ok, "{stderr}");
}
