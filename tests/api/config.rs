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

/// `client_max_body_size` of the nginx site: the server's own, and each location's by its pattern.
fn nginx_body_limits(conf: &str) -> (u64, Vec<(String, u64)>) {
    let bytes = |v: &str| -> u64 {
        let v = v.trim().trim_end_matches(';').to_ascii_lowercase();
        let (n, unit) = v.split_at(v.find(|c: char| !c.is_ascii_digit()).unwrap_or(v.len()));
        let n: u64 = n.parse().unwrap_or_else(|_| panic!("a size: {v}"));
        n * match unit {
            "" => 1,
            "k" => 1024,
            "m" => 1024 * 1024,
            "g" => 1024 * 1024 * 1024,
            other => panic!("a unit nginx knows: {other}"),
        }
    };
    let (mut server, mut locations, mut location) = (None, Vec::new(), None::<String>);
    for line in conf.lines().map(|l| l.split('#').next().unwrap().trim()) {
        if let Some(rest) = line.strip_prefix("location ") {
            location = Some(rest.trim_end_matches('{').trim().to_owned());
        } else if line == "}" {
            location = None;
        } else if let Some(size) = line.strip_prefix("client_max_body_size ") {
            match &location {
                Some(at) => locations.push((at.clone(), bytes(size))),
                None => server = Some(bytes(size)),
            }
        }
    }
    (server.expect("a server-wide client_max_body_size"), locations)
}

#[test]
fn the_nginx_site_lets_through_every_upload_the_app_accepts() {
    let conf = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/deploy/nginx.conf")).unwrap();
    let (server, locations) = nginx_body_limits(&conf);
    let dir = tempfile::TempDir::new().unwrap();
    let config = crate::helpers::test_config(&dir, &[]);
    const MB: u64 = 1024 * 1024;
    // Everywhere: images, the logo, a message with its attachment.
    let everywhere = [
        atelier::web::admin::uploads::MAX_UPLOAD_BYTES as u64,
        atelier::web::admin::logo::MAX_BODY as u64,
        (atelier::server::studio::work::ATTACHMENT_MAX_MB + 1) * MB,
    ];
    for limit in everywhere {
        assert!(server >= limit, "nginx refuses bodies over {server} bytes; the app accepts {limit}");
    }
    // The streamed uploads, at their default limits.
    let at = |pattern: &str| {
        locations
            .iter()
            .find(|(at, _)| at.contains(pattern))
            .map(|l| l.1)
            .unwrap_or_else(|| panic!("a location for {pattern}"))
    };
    assert!(
        at("/admin/products/") >= config.product_file_max_mb * MB,
        "product files up to {} MB",
        config.product_file_max_mb
    );
    assert!(
        at("/admin/projects/") >= config.deliverable_max_mb * MB,
        "deliverables up to {} MB",
        config.deliverable_max_mb
    );
    // The locations match the app's routes.
    assert!(conf.contains("location ~ ^/admin/products/[0-9]+/files$"), "the product files route");
    assert!(conf.contains("location ~ ^/admin/projects/[0-9]+/deliverables$"), "the deliverables route");
}

/// The metric names the source records (string literals `"atelier_…"`).
fn recorded_metrics() -> std::collections::BTreeSet<String> {
    fn walk(dir: &std::path::Path, names: &mut std::collections::BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, names);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let code = std::fs::read_to_string(&path).unwrap();
                for piece in code.split("\"atelier_").skip(1) {
                    let name: String = piece.chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
                    if piece[name.len()..].starts_with('"') {
                        names.insert(format!("atelier_{name}"));
                    }
                }
            }
        }
    }
    let mut names = std::collections::BTreeSet::new();
    walk(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")), &mut names);
    names
}

#[test]
fn the_alerts_and_the_dashboard_read_only_metrics_the_app_serves() {
    let recorded = recorded_metrics();
    assert!(recorded.contains("atelier_jobs_oldest_due_seconds") && recorded.contains("atelier_http_requests_total"));
    for file in ["alerts.yml", "grafana-dashboard.json"] {
        let text = std::fs::read_to_string(format!("{}/deploy/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let mut used = 0;
        for piece in text.split("atelier_").skip(1) {
            let name: String = piece.chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
            let name = format!("atelier_{name}");
            let base = ["_bucket", "_sum", "_count"].iter().find_map(|s| name.strip_suffix(s)).unwrap_or(&name);
            if name == "atelier_" {
                continue;
            }
            assert!(recorded.contains(base), "{file} reads {name}, which the app does not serve");
            used += 1;
        }
        assert!(used >= 8, "{file} reads {used} metrics");
    }
}

/// `atelier doctor` over `dir` with `env`: its exit status and what it printed.
async fn doctor(dir: &std::path::Path, env: &[(&str, String)]) -> (bool, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_atelier"));
    cmd.arg("doctor")
        .env_clear()
        .env("DATABASE_PATH", dir.join("atelier.db"))
        .env("BACKUP_DIR", dir.join("backups"))
        .env("STORAGE_DIR", dir.join("storage"))
        .env("OUTBOX_DIR", dir.join("outbox"))
        .current_dir(dir);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = tokio::task::spawn_blocking(move || cmd.output().unwrap()).await.unwrap();
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

#[tokio::test]
async fn doctor_checks_the_installation_and_says_what_to_fix() {
    use wiremock::matchers::{method, path, path_regex};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let dir = tempfile::TempDir::new().unwrap();
    let root = dir.path().to_owned();
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_atelier"))
            .args(args)
            .env_clear()
            .env("DATABASE_PATH", root.join("atelier.db"))
            .env("BACKUP_DIR", root.join("backups"))
            .current_dir(&root)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    };
    // No database yet: said, with the command that makes one.
    let (ok, said) = doctor(&root, &[]).await;
    assert!(!ok, "{said}");
    assert!(said.contains("FAIL  database: no database at") && said.contains("run `atelier migrate`"), "{said}");
    run(&["migrate"]);
    run(&["backup"]);

    let smtp = crate::smtp::MailServer::start().await;
    let midtrans = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path_regex("^/v2/.+/status$"))
        .respond_with(ResponseTemplate::new(404).set_body_json(serde_json::json!({"status_code": "404"})))
        .mount(&midtrans)
        .await;
    let github = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/user"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-oauth-scopes", "repo, read:org")
                .set_body_json(serde_json::json!({"login": "studio-bot"})),
        )
        .mount(&github)
        .await;
    let healthy = [
        ("SMTP_HOST", "127.0.0.1".to_owned()),
        ("SMTP_PORT", smtp.port.to_string()),
        ("SMTP_TLS", "none".to_owned()),
        ("MIDTRANS_SERVER_KEY", "SB-server".to_owned()),
        ("MIDTRANS_CLIENT_KEY", "SB-client".to_owned()),
        ("MIDTRANS_API_URL", midtrans.uri()),
        ("GITHUB_PAT", "ghp_test".to_owned()),
        ("GITHUB_API_URL", github.uri()),
    ];
    let (ok, said) = doctor(&root, &healthy).await;
    assert!(ok || said.contains("FAIL  disk:"), "{said}");
    for line in [
        "ok    configuration: development, http://127.0.0.1:3000, payments through Midtrans",
        "ok    database: ",
        "integrity ok, ",
        // The level depends on this machine's disk (its thresholds: doctor's unit test).
        "  disk: ",
        " free (",
        "ok    backups: the newest, atelier-",
        "restores (integrity ok, ",
        &format!("ok    mail: 127.0.0.1:{} answers", smtp.port),
        "ok    Midtrans: the credentials are accepted",
        "ok    GitHub: the token of studio-bot has the repo scope",
    ] {
        assert!(said.contains(line), "{line:?} in:\n{said}");
    }
    assert!(!said.lines().any(|l| l.starts_with("FAIL") && !l.starts_with("FAIL  disk:")), "{said}");

    // Everything wrong at once: each failure named, with what to do; exit 1.
    let refusing = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(401)).mount(&refusing).await;
    let scoped = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/user"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-oauth-scopes", "gist")
                .set_body_json(serde_json::json!({"login": "bot"})),
        )
        .mount(&scoped)
        .await;
    // The newest backup is not a database.
    let junk = root.join("backups/atelier-29991231-235959.db");
    std::fs::write(&junk, b"not a database").unwrap();
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let broken = [
        ("SMTP_HOST", "127.0.0.1".to_owned()),
        ("SMTP_PORT", closed.to_string()),
        ("SMTP_TLS", "none".to_owned()),
        ("MIDTRANS_SERVER_KEY", "SB-wrong".to_owned()),
        ("MIDTRANS_CLIENT_KEY", "SB-client".to_owned()),
        ("MIDTRANS_API_URL", refusing.uri()),
        ("GITHUB_PAT", "ghp_test".to_owned()),
        ("GITHUB_API_URL", scoped.uri()),
    ];
    let (ok, said) = doctor(&root, &broken).await;
    assert!(!ok, "{said}");
    for line in [
        &format!("FAIL  mail: 127.0.0.1:{closed} cannot be reached"),
        "check SMTP_HOST and SMTP_PORT",
        "FAIL  Midtrans: the credentials are refused (HTTP 401): check MIDTRANS_SERVER_KEY",
        "FAIL  GitHub: the token of bot lacks the repo scope (it has: gist)",
        "FAIL  backups: the newest, atelier-29991231-235959.db, does not restore",
    ] {
        assert!(said.contains(line), "{line:?} in:\n{said}");
    }

    let failed = if said.contains("FAIL  disk:") { 5 } else { 4 };
    assert!(said.contains(&format!("{failed} check(s) failed.")), "{said}");

    // Production without its settings: the configuration itself fails, said as a check.
    let (ok, said) = doctor(&root, &[("APP_ENV", "production".to_owned())]).await;
    assert!(!ok);
    assert!(said.starts_with("FAIL  configuration: "), "{said}");
}

#[tokio::test]
async fn a_dot_env_is_read_from_the_working_folder_and_never_from_one_above_it() {
    let dir = tempfile::TempDir::new().unwrap();
    let inner = dir.path().join("site");
    std::fs::create_dir(&inner).unwrap();
    // Above the working folder: somebody else's settings, not ours.
    std::fs::write(dir.path().join(".env"), "APP_ENV=production\n").unwrap();
    let (_, said) = doctor(&inner, &[]).await;
    assert!(said.starts_with("warn  configuration: development, "), "{said}");
    // In the working folder: ours.
    std::fs::write(inner.join(".env"), "APP_ENV=production\n").unwrap();
    let (ok, said) = doctor(&inner, &[]).await;
    assert!(!ok);
    assert!(said.starts_with("FAIL  configuration: SECRET_KEY: is required when APP_ENV=production"), "{said}");
}
