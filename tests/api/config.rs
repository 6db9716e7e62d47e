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

#[tokio::test]
async fn the_server_started_from_another_folder_serves_its_own_stylesheet() {
    let dir = tempfile::TempDir::new().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = Command::new(env!("CARGO_BIN_EXE_atelier"))
        .env_clear()
        .env("DATABASE_PATH", dir.path().join("a.db"))
        .env("OUTBOX_DIR", dir.path().join("outbox"))
        .env("UPLOADS_DIR", dir.path().join("uploads"))
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("SITE_URL", &base)
        // A folder without Leptos.toml or target/: the settings come from the installation.
        .current_dir(dir.path())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let client = reqwest::Client::new();
    let mut home = None;
    for _ in 0..200 {
        if let Ok(res) = client.get(format!("{base}/")).send().await {
            home = Some(res.text().await.unwrap());
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let home = home.expect("the server answers");
    let href = home
        .split("<link")
        .find(|tag| tag.contains(r#"rel="stylesheet""#))
        .and_then(|tag| tag.split(r#"href=""#).nth(1))
        .and_then(|rest| rest.split('"').next())
        .expect("a stylesheet link")
        .to_owned();
    let css = client.get(format!("{base}{href}")).send().await.unwrap();
    let status = css.status();
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(status, 200, "{href}");
}
