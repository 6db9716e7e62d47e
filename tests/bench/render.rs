//! What each private page costs to render, in-process: the app's whole router
//! (middleware, session, the person, Leptos, gzip) called one request at a time on
//! a single-threaded runtime, with no network and no load generator sharing the
//! cores. So two builds compare within a few percent where the 32-connection numbers
//! of `pages.rs` move by 20–40 % with the host; `.ci/bench` runs it for the record
//! (no budget: the budgets are `pages.rs`'s, measured as a visitor meets them).
//!
//! Over the demo content, as a staff account (which sees the dashboard and the admin);
//! `RENDER_LANG=id`: one who reads Indonesian.

use atelier::domain::Role;
use atelier::server::config::{Config, Source};
use atelier::server::db::{self, Db};
use atelier::startup::{cli, Application};
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request, StatusCode};
use tower::ServiceExt;

/// As the release server allocates (src/main.rs): the numbers are the server's own.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
#[export_name = "_rjem_malloc_conf"]
pub static MALLOC_CONF: &[u8; 69] = atelier::startup::JEMALLOC_CONF;

const ROUNDS: usize = 3;
const REQUESTS: usize = 2_000;
const ORIGIN: &str = "http://127.0.0.1:3000";
const EMAIL: &str = "render@studio.example";
const PASSWORD: &str = "render bench passphrase";
const PAGES: &[&str] = &[
    "/robots.txt",
    "/dashboard",
    "/dashboard/orders",
    "/dashboard/downloads",
    "/dashboard/subscriptions",
    "/dashboard/tools",
    "/dashboard/profile",
    "/admin",
    "/admin/products",
    "/admin/orders",
    "/admin/posts",
    "/admin/users",
    // Public pages rendered anew (a query the cache does not key on keeps them out of it).
    "/products?render=1",
    "/blog?render=1",
];

/// User plus system CPU time of this process, in microseconds.
fn cpu_us() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").expect("/proc/self/stat");
    let fields: Vec<&str> = stat.rsplit_once(')').unwrap().1.split_whitespace().collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    let per_sec: f64 = std::env::var("BENCH_CLK_TCK").ok().and_then(|t| t.parse().ok()).unwrap_or(100.0);
    ticks as f64 * 1e6 / per_sec
}

fn get(path: &str, cookie: &str) -> Request<Body> {
    Request::get(path)
        .header(header::HOST, "127.0.0.1")
        .header(header::ACCEPT_ENCODING, "br, gzip")
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap()
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let dir = tempfile::TempDir::new().unwrap();
    let at = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    let (db_path, storage, backups, uploads, outbox) =
        (at("render.db"), at("storage"), at("backups"), at("uploads"), at("outbox"));
    let config = Config::load(&Source::map(&[
        ("DATABASE_PATH", &db_path),
        ("STORAGE_DIR", &storage),
        ("BACKUP_DIR", &backups),
        ("UPLOADS_DIR", &uploads),
        ("OUTBOX_DIR", &outbox),
        ("SITE_URL", ORIGIN),
    ]))
    .expect("the bench configuration");
    atelier::startup::cli::seed_demo(&config).expect("seeding the demo content");
    let hash = atelier::server::auth::password::hash(PASSWORD.to_owned()).await.unwrap();
    let database = Db::open(std::path::Path::new(&db_path)).unwrap();
    let staff = db::users::insert(&database.conn().unwrap(), "Render", EMAIL, &hash, Role::Staff, true)
        .unwrap()
        .expect("a new account");
    // RENDER_LANG=id: the staff member reads Indonesian (the dashboard and the admin in it).
    if let Some(lang) = std::env::var("RENDER_LANG").ok().and_then(|l| atelier::domain::Lang::parse(&l)) {
        db::users::set_lang(&database.conn().unwrap(), staff, lang).unwrap();
    }

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let app = Application::build_on(config, cli::leptos_options().unwrap(), listener).await.unwrap();
    let router = atelier::startup::router(app.state().clone());
    let mut login = Request::post("/api/auth/login")
        .header(header::HOST, "127.0.0.1")
        .header(header::ORIGIN, ORIGIN)
        .header(header::ACCEPT, "text/html")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("email={}&password={}", EMAIL.replace('@', "%40"), PASSWORD.replace(' ', "+"))))
        .unwrap();
    // The sign-in rate limit counts by the peer's address.
    login.extensions_mut().insert(ConnectInfo(std::net::SocketAddr::from(([127, 0, 0, 1], 40000))));
    let res = router.clone().oneshot(login).await.unwrap();
    assert_eq!(res.headers().get(header::LOCATION).and_then(|l| l.to_str().ok()), Some("/admin"), "signs in: {res:?}");
    let cookie = res
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|c| c.to_str().ok()?.split(';').next().map(str::to_owned))
        .collect::<Vec<_>>()
        .join("; ");

    println!("{:<28} {:>10} {:>24}", "page (one at a time)", "gzip bytes", "CPU µs per request");
    // RENDER_PAGES=/dashboard,/admin: only these (to profile one page).
    let only = std::env::var("RENDER_PAGES").ok();
    // RENDER_REQUESTS=200: fewer requests a round (under valgrind, whose instruction
    // counts compare two builds exactly where CPU time moves with the host).
    let requests: usize = std::env::var("RENDER_REQUESTS").ok().and_then(|n| n.parse().ok()).unwrap_or(REQUESTS);
    let pages = PAGES.iter().filter(|p| only.as_ref().is_none_or(|only| only.split(',').any(|o| o == **p)));
    for page in pages {
        let mut rounds = Vec::new();
        let mut bytes = 0;
        for _ in 0..ROUNDS {
            let start = cpu_us();
            for _ in 0..requests {
                let res = router.clone().oneshot(get(page, &cookie)).await.unwrap();
                assert_eq!(res.status(), StatusCode::OK, "{page}");
                bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap().len();
            }
            rounds.push((cpu_us() - start) / requests as f64);
        }
        rounds.sort_by(f64::total_cmp);
        let spread: Vec<String> = rounds.iter().map(|r| format!("{r:.0}")).collect();
        println!("{page:<28} {bytes:>10} {:>9.0}  ({})", rounds[ROUNDS / 2], spread.join(", "));
    }
}
