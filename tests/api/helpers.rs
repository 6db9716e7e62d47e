use atelier::server::config::{Config, Source};
use atelier::server::startup::Application;
use atelier::server::AppState;
use leptos::config::LeptosOptions;
use std::path::PathBuf;
use tempfile::TempDir;
use tokio::sync::oneshot;

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db_path: PathBuf,
    pub state: AppState,
    pub dir: TempDir,
    stop: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("request failed")
    }

    /// Stops the server gracefully and waits for it, keeping the database file.
    pub async fn stop(mut self) -> TempDir {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            server.await.expect("server task panicked").expect("server failed");
        }
        // Move the directory out so the database survives for a restart.
        std::mem::replace(&mut self.dir, TempDir::new().unwrap())
    }
}

pub fn test_config(dir: &TempDir, extra: &[(&str, &str)]) -> Config {
    let db = dir.path().join("atelier.db");
    let storage = dir.path().join("storage");
    let backups = dir.path().join("backups");
    let mut pairs: Vec<(&str, &str)> = vec![
        ("DATABASE_PATH", db.to_str().unwrap()),
        ("STORAGE_DIR", storage.to_str().unwrap()),
        ("BACKUP_DIR", backups.to_str().unwrap()),
    ];
    pairs.extend_from_slice(extra);
    Config::load(&Source::map(&pairs)).expect("test configuration is valid")
}

pub fn test_leptos_options(dir: &TempDir) -> LeptosOptions {
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    std::fs::write(site.join("pkg/atelier.css"), "body{margin:0}").unwrap();
    LeptosOptions::builder()
        .output_name("atelier")
        .site_root(site.to_str().unwrap())
        .site_addr(std::net::SocketAddr::from(([127, 0, 0, 1], 0)))
        .build()
}

pub async fn spawn_app() -> TestApp {
    spawn_app_in(TempDir::new().unwrap(), &[]).await
}

/// Starts the app over the database in `dir` (fresh or left by an earlier run).
pub async fn spawn_app_in(dir: TempDir, extra_env: &[(&str, &str)]) -> TestApp {
    let config = test_config(&dir, extra_env);
    let db_path = config.database_path.clone();
    let app = Application::build(config, test_leptos_options(&dir)).await.expect("application starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    let state = app.state().clone();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async {
        let _ = stopped.await;
    }));
    let client =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).cookie_store(true).build().unwrap();
    TestApp { address, client, db_path, state, dir, stop: Some(stop), server: Some(server) }
}
