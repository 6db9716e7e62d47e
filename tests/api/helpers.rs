use crate::smtp::MailServer;
use atelier::server::clock::Clock;
use atelier::server::config::{Config, Source};
use atelier::server::jobs::Outcome;
use atelier::server::worker;
use atelier::server::AppState;
use atelier::startup::Application;
use leptos::config::LeptosOptions;
use std::path::PathBuf;
use tempfile::TempDir;
use tokio::sync::oneshot;

pub const STAFF_PASSWORD: &str = "staff passphrase 1";

pub struct TestApp {
    pub address: String,
    pub mail: MailServer,
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

    /// Submits a form the way a browser without JavaScript does.
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.post_form_with(&self.client, path, form).await
    }

    pub async fn post_form_with(
        &self,
        client: &reqwest::Client,
        path: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        client
            .post(self.url(path))
            .header("Accept", "text/html,application/xhtml+xml")
            .header("Origin", &self.address)
            .header("Referer", self.url("/"))
            .form(form)
            .send()
            .await
            .expect("request failed")
    }

    /// A product saved as staff would, on sale at `price_idr` (one-time); returns its id.
    pub async fn product_on_sale(&self, slug: &str, name: &str, kind: &str, delivery: &str, price_idr: &str) -> i64 {
        use atelier::domain::products::{ProductForm, ProductInput};
        use atelier::server::db::{catalog, DbError};
        let form = ProductForm {
            slug: slug.into(),
            name: name.into(),
            kind: kind.into(),
            status: "active".into(),
            billing: "one_time".into(),
            price_idr: price_idr.into(),
            delivery_kind: delivery.into(),
            ..ProductForm::default()
        };
        let input = ProductInput::parse(&form).expect("a valid product");
        self.state
            .db
            .run(move |c| Ok::<_, DbError>(catalog::save(c, None, &input, &Default::default()).ok()))
            .await
            .unwrap()
            .unwrap()
    }

    /// A new verified member buys `slug` through the sandbox and the jobs it queues
    /// run; returns their signed-in client and the order's public id.
    pub async fn member_buys(&self, email: &str, slug: &str) -> (reqwest::Client, String) {
        const PASSWORD: &str = "a buying member's passphrase";
        self.verified_member("Buyer", email, PASSWORD).await;
        let client = TestApp::new_client();
        self.login_with(&client, email, PASSWORD).await;
        let res = self.post_form_with(&client, "/api/site/checkout", &[("slug", slug), ("gateway", "sandbox")]).await;
        let order = res.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().to_owned();
        self.post_form_with(&client, "/api/site/sandbox_pay", &[("order", &order), ("outcome", "pay")]).await;
        self.drain_jobs().await;
        (client, order)
    }

    /// Calls a server function as a script would (no HTML `Accept`): a refusal
    /// answers with its status and message instead of redirecting back to a form.
    pub async fn post_api(&self, client: &reqwest::Client, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        client.post(self.url(path)).header("Origin", &self.address).form(form).send().await.expect("request failed")
    }

    /// Uploads a product file as staff do with the product page's form (multipart,
    /// no JavaScript): `fields` are the form's text fields, sent before the file.
    pub async fn upload_product_file(
        &self,
        staff: &reqwest::Client,
        product_id: i64,
        fields: &[(&str, &str)],
        file_name: &str,
        bytes: Vec<u8>,
    ) -> reqwest::Response {
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in fields {
            form = form.text(name.to_string(), value.to_string());
        }
        form = form.part("file", reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_owned()));
        staff
            .post(self.url(&format!("/admin/products/{product_id}/files")))
            .header("Origin", &self.address)
            .multipart(form)
            .send()
            .await
            .expect("request failed")
    }

    /// Runs every due job, as the worker would.
    pub async fn drain_jobs(&self) -> Vec<Outcome> {
        worker::drain(&self.state).await.expect("jobs run")
    }

    /// The gateway reports a refund of `order` (by its public id); the jobs it queues run.
    pub async fn refund(&self, order: &str) {
        use atelier::domain::orders::Gateway;
        use atelier::server::db::{orders, DbError};
        use atelier::server::studio::payments::{self, Outcome as Paid, PaymentEvent};
        let (config, id) = (self.state.config.clone(), order.to_owned());
        self.state
            .db
            .run(move |c| -> Result<(), DbError> {
                let order = orders::by_public_id(c, &id)?.expect("the order exists");
                let event = PaymentEvent {
                    gateway: Gateway::Sandbox,
                    event_key: format!("test-refund:{id}"),
                    outcome: Paid::Refunded,
                    note: "refund".into(),
                    raw: "{}".into(),
                };
                payments::apply(c, &config, &order, &event).map(|_| ())
            })
            .await
            .unwrap();
        self.drain_jobs().await;
    }

    /// A browser on the site's own pages: it keeps cookies, does not follow
    /// redirects, and says its requests are same-origin (`Sec-Fetch-Site`), as
    /// browsers do; without that, or an `Origin`, a state change is refused.
    pub fn new_client() -> reqwest::Client {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("sec-fetch-site", reqwest::header::HeaderValue::from_static("same-origin"));
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .default_headers(headers)
            .build()
            .unwrap()
    }

    /// Registers, delivers the welcome mail and opens its link: a verified member.
    pub async fn verified_member(&self, name: &str, email: &str, password: &str) {
        let res = self
            .post_form(
                "/api/auth/register",
                &[("name", name), ("email", email), ("password", password), ("password_confirm", password)],
            )
            .await;
        assert_eq!(res.status(), 302, "register redirects");
        self.drain_jobs().await;
        let mail = self.mail.to(email).pop().expect("welcome mail");
        let link = mail.link(&self.url("/verify-email?token=")).expect("verification link");
        let page = self.client.get(&link).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Your email is confirmed"), "verification page: {page}");
    }

    /// Signs in with `client`; returns where the site sent the browser.
    pub async fn login_with(&self, client: &reqwest::Client, email: &str, password: &str) -> String {
        let res = self.post_form_with(client, "/api/auth/login", &[("email", email), ("password", password)]).await;
        res.headers().get("location").map(|l| l.to_str().unwrap().to_owned()).unwrap_or_default()
    }

    /// A staff account `owner@studio.example` (as `atelier admin create` makes), signed in on a new client.
    pub async fn signed_in_staff(&self) -> reqwest::Client {
        self.signed_in_staff_as("Owner", "owner@studio.example").await
    }

    /// Another staff account, `email`, with the staff password, signed in on a new client.
    pub async fn signed_in_staff_as(&self, name: &'static str, email: &'static str) -> reqwest::Client {
        use atelier::domain::Role;
        use atelier::server::{auth::password, db::users};
        let hash = password::hash(STAFF_PASSWORD.into()).await.unwrap();
        self.state.db.run(move |c| users::insert(c, name, email, &hash, Role::Staff, true).map(|_| ())).await.unwrap();
        let client = TestApp::new_client();
        assert_eq!(self.login_with(&client, email, STAFF_PASSWORD).await, "/admin");
        client
    }

    /// Runs `atelier admin create --email EMAIL` on this app's database with `password`
    /// on stdin, as an operator would; its stdout, once it succeeded.
    pub fn admin_create(&self, email: &str, password: &str) -> String {
        use std::io::Write;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_atelier"))
            .args(["admin", "create", "--email", email])
            .env_clear()
            .env("DATABASE_PATH", &self.db_path)
            .env("STORAGE_DIR", self.dir.path().join("storage"))
            .current_dir(self.dir.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(format!("{password}\n").as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub async fn login(&self, email: &str, password: &str) -> String {
        self.login_with(&self.client, email, password).await
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
    let uploads = dir.path().join("uploads");
    let mut pairs: Vec<(&str, &str)> = vec![
        ("DATABASE_PATH", db.to_str().unwrap()),
        ("STORAGE_DIR", storage.to_str().unwrap()),
        ("BACKUP_DIR", backups.to_str().unwrap()),
        ("UPLOADS_DIR", uploads.to_str().unwrap()),
        // The tests written before the site spoke Indonesian read its English version;
        // a test of a new studio's own default says `STUDIO_LANGUAGE` itself.
        ("STUDIO_LANGUAGE", "en"),
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
    spawn(dir, extra_env, false, Clock::system()).await
}

/// Starts the app with its pool of job workers running, as in production.
pub async fn spawn_app_with_workers(extra_env: &[(&str, &str)]) -> TestApp {
    spawn(TempDir::new().unwrap(), extra_env, true, Clock::system()).await
}

/// An app whose content cache tells the time by `clock` (a manual one, moved by the test).
pub async fn spawn_app_with_clock(clock: Clock) -> TestApp {
    spawn(TempDir::new().unwrap(), &[], false, clock).await
}

/// An app with settings from `extra_env` whose clock is `clock`.
pub async fn spawn_app_with_clock_and(clock: Clock, extra_env: &[(&str, &str)]) -> TestApp {
    spawn(TempDir::new().unwrap(), extra_env, false, clock).await
}

async fn spawn(dir: TempDir, extra_env: &[(&str, &str)], run_worker: bool, clock: Clock) -> TestApp {
    let mail = MailServer::start().await;
    let port = mail.port.to_string();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let mut env = vec![
        ("SMTP_HOST", "127.0.0.1"),
        ("SMTP_PORT", port.as_str()),
        ("SMTP_TLS", "none"),
        ("SITE_URL", address.as_str()),
    ];
    env.extend_from_slice(extra_env);
    let mut config = test_config(&dir, &env);
    // Most tests drive the worker's step function themselves.
    config.run_worker = run_worker;
    let db_path = config.database_path.clone();
    let app = Application::build_with_clock(config, test_leptos_options(&dir), listener, clock)
        .await
        .expect("application starts");
    let state = app.state().clone();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async {
        let _ = stopped.await;
    }));
    let client = TestApp::new_client();
    TestApp { address, mail, client, db_path, state, dir, stop: Some(stop), server: Some(server) }
}

/// The ERROR events logged while it is alive, on this thread: `#[tokio::test]` runs
/// the server's tasks on the test's own thread, so this sees what its requests log.
pub struct ErrorLog {
    events: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    _guard: tracing::subscriber::DefaultGuard,
}

impl ErrorLog {
    pub fn capture() -> Self {
        use tracing_subscriber::layer::SubscriberExt;
        let events = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let subscriber = tracing_subscriber::registry().with(ErrorCollector(events.clone()));
        Self { events, _guard: tracing::subscriber::set_default(subscriber) }
    }

    pub fn errors(&self) -> Vec<String> {
        self.events.lock().unwrap().clone()
    }
}

struct ErrorCollector(std::sync::Arc<std::sync::Mutex<Vec<String>>>);

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for ErrorCollector {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        if *event.metadata().level() != tracing::Level::ERROR {
            return;
        }
        struct Fields(String);
        impl tracing::field::Visit for Fields {
            fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
                self.0.push_str(&format!("{}={:?} ", field.name(), value));
            }
        }
        let mut fields = Fields(format!("{}: ", event.metadata().target()));
        event.record(&mut fields);
        self.0.lock().unwrap().push(fields.0);
    }
}
