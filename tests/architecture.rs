//! The structure CI keeps, read from the source text (`cargo test` runs this with the
//! other tests, so `.ci/test` fails when a rule is broken):
//!
//! 1. Imports point down: domain (and `error`) <- server <- components <- routes <- app
//!    <- startup. A file names (`crate::…`) only its own layer or a lower one.
//! 2. The areas under `routes/` (site, auth, dashboard, client, admin) never import
//!    each other.
//! 3. SQL is written only under `src/server/db/`.
//! 4. Every server function carries its `tracing::instrument` attribute.
//! 5. HTML is escaped only by `domain::html` (no second escaper).
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
        "components" => 2,
        "routes" => 3,
        "app" => 4,
        "startup" => 5,
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
}

#[test]
fn the_rules_can_fail() {
    // Each rule's reader sees what it looks for (so a passing check is not a blind one).
    assert_eq!(layer_of_file("src/server/db/users.rs"), Some(1));
    assert_eq!(layer_of_file("src/error.rs"), Some(0));
    assert_eq!(crate_paths("use crate::routes::admin::x;")[0].1, ["routes", "admin"]);
    assert_eq!(code_of("a\n// b\n#[cfg(test)]\nmod tests {\nc\n}\n"), "a\n\n");
}
