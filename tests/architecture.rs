//! The structure CI keeps, read from the source text (`cargo test` runs this with the
//! other tests, so `.ci/test` fails when a rule is broken):
//!
//! 1. Imports point down: domain (and `error`) <- server <- web <- components <- routes
//!    <- app <- startup. A file names (`crate::…`) only its own layer or a lower one: a
//!    service under `server/` never names a handler, the session guard or a page.
//! 2. The areas under `routes/` (site, auth, dashboard, client, admin) never import
//!    each other.
//! 3. SQL is written only under `src/server/db/`.
//! 4. Every server function carries its `tracing::instrument` attribute.
//! 5. HTML is escaped only by `domain::html` (no second escaper), and trusted HTML
//!    (`TrustedHtml::from_writer`) is made only by the writers that escape all they emit.
//! 6. No circle among the files under `src/server` (a service held by the application's
//!    state never reaches back to the state), and a session is handled there only by
//!    `server::auth` (the store, sign-in) and `server::typed_input`.
//! 7. The infrastructure under `src/server` never names a feature of `server::studio`;
//!    only the application's state and the worker's dispatch join the two.
//!
//! Test modules (`#[cfg(test)] mod tests`) and comments are not read.

use std::path::{Path, PathBuf};

/// Every `.rs` file under `src/`, as (path relative to the crate, its code without
/// test modules and comment lines).
fn sources() -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("src/ is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    walk(&root.join("src"), &mut files);
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("a readable source file");
            let relative = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
            (relative, code_of(&text))
        })
        .collect()
}

/// The file's code: up to its test module, without comment lines.
fn code_of(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut code = String::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        let next = lines[i + 1..].iter().map(|l| l.trim()).find(|l| !l.is_empty()).unwrap_or("");
        if trimmed.starts_with("#[cfg(") && trimmed.contains("test") && next.starts_with("mod tests") {
            break;
        }
        // Comment lines read as empty, so line numbers stay the file's.
        if !trimmed.starts_with("//") {
            code.push_str(line);
        }
        code.push('\n');
    }
    code
}

/// The layer of a module named after `crate::`, or of a file by its path.
fn layer_of_module(name: &str) -> Option<u8> {
    Some(match name {
        "domain" | "error" => 0,
        "server" => 1,
        "web" => 2,
        "components" => 3,
        "routes" => 4,
        "app" => 5,
        "startup" => 6,
        _ => return None,
    })
}

fn layer_of_file(path: &str) -> Option<u8> {
    let rest = path.strip_prefix("src/")?;
    let first = rest.split('/').next()?.trim_end_matches(".rs");
    layer_of_module(first)
}

/// Each `crate::name` the code mentions, with its line.
fn crate_paths(code: &str) -> Vec<(usize, Vec<String>)> {
    let mut found = Vec::new();
    for (n, line) in code.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            let segments: Vec<String> = after
                .split("::")
                .map(|s| s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<String>())
                .take_while(|s| !s.is_empty())
                .take(2)
                .collect();
            found.push((n + 1, segments));
            rest = after;
        }
    }
    found
}

#[test]
fn imports_point_down_and_areas_never_import_each_other() {
    let mut wrong = Vec::new();
    for (path, code) in sources() {
        let Some(own) = layer_of_file(&path) else { continue };
        let area = path.strip_prefix("src/routes/").and_then(|r| r.split('/').next()).filter(|a| !a.ends_with(".rs"));
        for (line, segments) in crate_paths(&code) {
            let Some(first) = segments.first() else { continue };
            if layer_of_module(first).is_some_and(|target| target > own) {
                wrong.push(format!("{path}:{line}: a lower layer names crate::{first}"));
            }
            if let (Some(area), "routes", Some(other)) = (area, first.as_str(), segments.get(1)) {
                if other != area {
                    wrong.push(format!("{path}:{line}: the {area} area imports the {other} area"));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "imports that point up or across:\n{}", wrong.join("\n"));
}

#[test]
fn sql_is_written_only_under_server_db() {
    const STARTS: [&str; 8] =
        ["SELECT ", "INSERT INTO ", "UPDATE ", "DELETE FROM ", "CREATE ", "PRAGMA ", "WITH ", "VACUUM"];
    let mut wrong = Vec::new();
    for (path, code) in sources() {
        if path.starts_with("src/server/db/") {
            continue;
        }
        for (n, line) in code.lines().enumerate() {
            // A string literal (plain or raw) that opens with a statement.
            let literals = line.split('"').skip(1).step_by(2);
            if literals.into_iter().any(|lit| {
                let lit = lit.trim_start();
                STARTS.iter().any(|s| lit.starts_with(s)) && (!lit.starts_with("UPDATE ") || lit.contains(" SET"))
            }) {
                wrong.push(format!("{path}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(wrong.is_empty(), "SQL outside src/server/db:\n{}", wrong.join("\n"));
}

#[test]
fn every_server_function_is_instrumented() {
    let mut wrong = Vec::new();
    let mut counted = 0;
    for (path, code) in sources() {
        let lines: Vec<&str> = code.lines().collect();
        for (n, line) in lines.iter().enumerate() {
            if !line.trim_start().starts_with("#[server(prefix") {
                continue;
            }
            counted += 1;
            let attributes = lines[n + 1..].iter().take(3).take_while(|l| l.trim_start().starts_with("#["));
            if !attributes.into_iter().any(|l| l.contains("tracing::instrument")) {
                wrong.push(format!("{path}:{}", n + 1));
            }
        }
    }
    assert!(counted > 100, "the server functions were found ({counted})");
    assert!(
        wrong.is_empty(),
        "server functions without #[cfg_attr(feature = \"ssr\", tracing::instrument(..))]:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn html_is_escaped_only_by_domain_html() {
    let mut wrong = Vec::new();
    for (path, code) in sources() {
        if path == "src/domain/html.rs" {
            continue;
        }
        for (n, line) in code.lines().enumerate() {
            if line.contains("html_escape::") || line.contains("&lt;") || line.contains("fn escape") {
                wrong.push(format!("{path}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(wrong.is_empty(), "escaping outside domain::html:\n{}", wrong.join("\n"));
    // The writers that may vouch for markup they built: the Markdown sanitiser, the
    // chart, the catalog's cards and the JSON-LD of products and posts.
    const WRITERS: [&str; 5] = [
        "src/domain/html.rs",
        "src/server/markdown.rs",
        "src/components/chart.rs",
        "src/routes/site/catalog.rs",
        "src/routes/site/content.rs",
    ];
    let mut vouching = Vec::new();
    for (path, code) in sources() {
        for (n, line) in code.lines().enumerate() {
            if line.contains("from_writer(") && !WRITERS.contains(&path.as_str()) {
                vouching.push(format!("{path}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(vouching.is_empty(), "trusted HTML made outside the listed writers:\n{}", vouching.join("\n"));
    // The sanitiser's output read back from a `*_html` column: only the database layer.
    let mut stored = Vec::new();
    for (path, code) in sources() {
        if path.starts_with("src/server/db/") || path == "src/domain/html.rs" {
            continue;
        }
        for (n, line) in code.lines().enumerate() {
            if line.contains("TrustedHtml::stored(") || line.contains("Self::stored") {
                stored.push(format!("{path}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(stored.is_empty(), "stored HTML vouched for outside server/db:\n{}", stored.join("\n"));
    let raw = raw_inner_html(&sources());
    assert!(raw.is_empty(), "inner_html fed something other than TrustedHtml::into_string():\n{}", raw.join("\n"));
}

/// Every `inner_html=` of a view whose value is not `….into_string()` of a
/// [`TrustedHtml`] (the only type in the crate with that method: a `String` has none).
fn raw_inner_html(sources: &[(String, String)]) -> Vec<String> {
    let mut raw = Vec::new();
    for (path, code) in sources {
        for (n, line) in code.lines().enumerate() {
            for (at, _) in line.match_indices("inner_html=") {
                let value: String =
                    line[at + "inner_html=".len()..].chars().take_while(|c| !c.is_whitespace() && *c != '>').collect();
                let value = value.trim_end_matches('/');
                if !value.ends_with(".into_string()") {
                    raw.push(format!("{path}:{}: {}", n + 1, line.trim()));
                }
            }
        }
    }
    raw
}

/// The module path of a file under `src/server` (`src/server/a/mod.rs` is `a`).
fn server_module(path: &str) -> Option<Vec<String>> {
    let rest = path.strip_prefix("src/server/")?.strip_suffix(".rs")?;
    let mut parts: Vec<String> = rest.split('/').map(str::to_owned).collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    Some(parts)
}

/// The `src/server` modules a file's code names, through `crate::server::` and `super::`
/// (one level of braces read), resolved to the longest module path that is a file.
fn server_imports(own: &[String], is_mod_file: bool, code: &str, modules: &[Vec<String>]) -> Vec<Vec<String>> {
    let ident = |s: &str| s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<String>();
    let mut found = Vec::new();
    let mut resolve = |base: &[String], tail: &str| {
        let mut path = base.to_vec();
        for segment in tail.split("::") {
            let segment = ident(segment.trim());
            if segment.is_empty() || segment == "self" {
                break;
            }
            path.push(segment);
        }
        // `crate::server::AppState` and `crate::server::state()` are the state's (re-exported).
        if path.len() == 1 && (path[0] == "AppState") {
            path = vec!["state".to_owned()];
        }
        while !path.is_empty() && !modules.contains(&path) {
            path.pop();
        }
        if !path.is_empty() && path != own {
            found.push(path);
        }
    };
    for line in code.lines() {
        let mut rest = line;
        loop {
            let (base, after) = match (rest.find("crate::server::"), rest.find("super::")) {
                (Some(c), s) if s.is_none_or(|s| c < s) => (Vec::new(), &rest[c + "crate::server::".len()..]),
                (_, Some(s)) => {
                    let mut after = &rest[s + "super::".len()..];
                    let mut base = own.to_vec();
                    if !is_mod_file {
                        base.pop();
                    }
                    base.pop();
                    while let Some(more) = after.strip_prefix("super::") {
                        base.pop();
                        after = more;
                    }
                    (base, after)
                }
                _ => break,
            };
            if let Some(group) = after.strip_prefix('{') {
                let inner = group.split('}').next().unwrap_or("");
                for item in inner.split(',') {
                    resolve(&base, item);
                }
            } else {
                resolve(&base, after);
            }
            rest = after;
        }
    }
    found
}

#[test]
fn no_circle_among_server_files_and_sessions_stay_in_auth() {
    let files: Vec<(String, Vec<String>, String)> = sources()
        .into_iter()
        .filter_map(|(path, code)| server_module(&path).map(|module| (path, module, code)))
        .collect();
    let modules: Vec<Vec<String>> = files.iter().map(|(_, m, _)| m.clone()).filter(|m| !m.is_empty()).collect();
    let edges: Vec<(Vec<String>, Vec<Vec<String>>)> = files
        .iter()
        .map(|(path, module, code)| (module.clone(), server_imports(module, path.ends_with("/mod.rs"), code, &modules)))
        .collect();
    // Depth-first search for a path that comes back to where it started.
    fn visit(
        node: &Vec<String>,
        edges: &[(Vec<String>, Vec<Vec<String>>)],
        trail: &mut Vec<Vec<String>>,
        done: &mut Vec<Vec<String>>,
    ) -> Option<Vec<Vec<String>>> {
        if let Some(at) = trail.iter().position(|n| n == node) {
            return Some(trail[at..].to_vec());
        }
        if done.contains(node) {
            return None;
        }
        trail.push(node.clone());
        for (_, targets) in edges.iter().filter(|(from, _)| from == node) {
            for target in targets {
                if let Some(circle) = visit(target, edges, trail, done) {
                    return Some(circle);
                }
            }
        }
        trail.pop();
        done.push(node.clone());
        None
    }
    let mut done = Vec::new();
    for (module, _) in &edges {
        if let Some(circle) = visit(module, &edges, &mut Vec::new(), &mut done) {
            let names: Vec<String> = circle.iter().map(|m| m.join("::")).collect();
            panic!("files under src/server import each other in a circle: {} -> {}", names.join(" -> "), names[0]);
        }
    }
    let mut upward = Vec::new();
    for (module, targets) in &edges {
        let joins = ["state", "worker"].iter().any(|m| module.first().is_some_and(|first| first == m));
        if module.first().is_some_and(|m| m == "studio") || joins {
            continue;
        }
        for target in targets.iter().filter(|t| t.first().is_some_and(|m| m == "studio")) {
            upward.push(format!("{} -> {}", module.join("::"), target.join("::")));
        }
    }
    assert!(upward.is_empty(), "infrastructure that names a feature:\n{}", upward.join("\n"));
    let mut wrong = Vec::new();
    for (path, module, code) in &files {
        if module.first().is_some_and(|m| m == "auth" || m == "typed_input") {
            continue;
        }
        if code.contains("tower_sessions") || code.contains("Session>") || code.contains(": Session") {
            wrong.push(path.clone());
        }
    }
    assert!(wrong.is_empty(), "services that handle a session (that is web's work):\n{}", wrong.join("\n"));
}

/// What no file under `src/server` may see: the application state (it gets the
/// parts it uses as arguments). Only `state.rs` (which lends the parts),
/// `worker.rs` (which hands each job its parts) and `server/mod.rs` (which names
/// them) may.
fn sees_the_state(code: &str) -> Option<&'static str> {
    ["AppState", "server::state()", "extract::State"].into_iter().find(|needle| code.contains(needle))
}

/// What a feature under `src/server/studio` must not see besides: a request or a
/// multipart body (the web layer reads those; HTTP middleware is infrastructure).
fn sees_the_web_or_the_state(code: &str) -> Option<&'static str> {
    sees_the_state(code).or_else(|| {
        ["Multipart", "extract::Request", "middleware::Next", "HeaderMap"].into_iter().find(|n| code.contains(n))
    })
}

#[test]
fn services_take_plain_arguments_not_the_state_or_a_request() {
    let mut wrong = Vec::new();
    for (path, code) in sources() {
        let Some(module) = server_module(&path) else { continue };
        if module.is_empty() || module == ["state"] || module == ["worker"] {
            continue;
        }
        let seen = if module.first().is_some_and(|m| m == "studio") {
            sees_the_web_or_the_state(&code)
        } else {
            sees_the_state(&code)
        };
        if let Some(what) = seen {
            wrong.push(format!("{path}: {what}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "services that see the state or a request (pass them plain arguments):\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_rules_can_fail() {
    // Each rule's reader sees what it looks for (so a passing check is not a blind one).
    assert_eq!(layer_of_file("src/server/db/users.rs"), Some(1));
    assert_eq!(layer_of_file("src/error.rs"), Some(0));
    assert_eq!(crate_paths("use crate::routes::admin::x;")[0].1, ["routes", "admin"]);
    assert_eq!(code_of("a\n// b\n#[cfg(test)]\nmod tests {\nc\n}\n"), "a\n\n");
    assert_eq!(layer_of_file("src/web/guard.rs"), Some(2));
    let modules = vec![vec!["state".to_owned()], vec!["db".to_owned()], vec!["auth".to_owned(), "google".to_owned()]];
    let own = vec!["auth".to_owned(), "google".to_owned()];
    let code = "use super::super::db::{self, users};\nuse crate::server::{AppState, auth::google::X};";
    assert_eq!(server_imports(&own, false, code, &modules), vec![vec!["db".to_owned()], vec!["state".to_owned()]]);
    assert_eq!(sees_the_web_or_the_state("pub async fn run(state: &AppState) {}"), Some("AppState"));
    let view = |line: &str| vec![("src/x.rs".to_owned(), line.to_owned())];
    assert_eq!(raw_inner_html(&view("<div inner_html=p.body_html.clone()></div>")).len(), 1);
    assert!(raw_inner_html(&view("<div inner_html=p.body_html.clone().into_string()></div>")).is_empty());
    assert!(raw_inner_html(&view("<script inner_html=j.into_string()></script>")).is_empty());
    assert_eq!(sees_the_web_or_the_state("async fn f(form: &mut axum::extract::Multipart)"), Some("Multipart"));
    assert_eq!(sees_the_web_or_the_state("pub async fn run(db: &Db, config: &Config) {}"), None);
    assert_eq!(server_module("src/server/studio/work.rs"), Some(vec!["studio".to_owned(), "work".to_owned()]));
}
