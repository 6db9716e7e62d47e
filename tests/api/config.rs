use std::process::{Command, Output};

fn start_with(env: &[(&str, &str)]) -> Output {
    let dir = tempfile::TempDir::new().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_atelier"));
    cmd.arg("migrate").env_clear().env("DATABASE_PATH", dir.path().join("a.db")).current_dir(dir.path());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

#[test]
fn a_wrong_value_stops_start_up_naming_the_variable() {
    let out = start_with(&[("SMTP_HOST", "127.0.0.1"), ("SMTP_PORT", "smtp")]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("SMTP_PORT") && stderr.contains("port number"), "{stderr}");
}

#[test]
fn production_refuses_to_start_without_its_secrets() {
    let out = start_with(&[("APP_ENV", "production")]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("SECRET_KEY"), "{stderr}");
    assert!(!std::path::Path::new("a.db").exists());
}

#[test]
fn an_unknown_command_is_refused_with_the_usage() {
    let dir = tempfile::TempDir::new().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_atelier"))
        .arg("frobnicate")
        .env_clear()
        .env("DATABASE_PATH", dir.path().join("a.db"))
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Usage: atelier"));
}
