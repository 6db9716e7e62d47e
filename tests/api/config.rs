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
fn a_public_address_without_app_env_is_refused_before_anything_is_served() {
    let dir = tempfile::TempDir::new().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_atelier"))
        .env_clear()
        .env("DATABASE_PATH", dir.path().join("a.db"))
        .env("LEPTOS_SITE_ADDR", "0.0.0.0:0")
        .current_dir(dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > std::time::Duration::from_secs(30) {
            child.kill().unwrap();
            panic!("the server started on 0.0.0.0 without APP_ENV");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(!status.success());
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(stderr.contains("APP_ENV") && stderr.contains("0.0.0.0"), "{stderr}");
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
