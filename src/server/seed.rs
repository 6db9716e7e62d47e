//! `atelier seed --demo`: convincing demo content for a fresh database, so the
//! first run looks like a real studio's site. A database that already has
//! products or content is left alone.

use super::db::{catalog, content, now};
use super::markdown;
use crate::domain::content::{EntryForm, EntryInput, EntryKind, VersionInput};
use crate::domain::products::{ProductForm, ProductInput};
use crate::domain::subscriptions::{PlanForm, PlanInput};
use anyhow::{anyhow, Context};
use rusqlite::Connection;

/// What the seed did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seeded {
    Filled {
        products: usize,
        entries: usize,
    },
    /// The database already had content; nothing was changed.
    Skipped,
}

pub fn demo(conn: &mut Connection) -> anyhow::Result<Seeded> {
    if catalog::has_content(conn)? {
        return Ok(Seeded::Skipped);
    }
    let mut products = 0;
    for (i, p) in PRODUCTS.iter().enumerate() {
        let form = ProductForm {
            name: p.name.into(),
            kind: p.kind.into(),
            status: p.status.into(),
            billing: p.billing.into(),
            price_idr: p.price_idr.into(),
            price_usd: p.price_usd.into(),
            summary: p.summary.into(),
            description_md: p.description.into(),
            delivery_kind: p.delivery.into(),
            featured: if p.featured { "on".into() } else { String::new() },
            ..ProductForm::default()
        };
        let input = ProductInput::parse(&form).map_err(|e| anyhow!("demo product {}: {e}", p.name))?;
        let id = catalog::save(conn, None, &input, &markdown::render(&input.description_md))
            .map_err(|e| anyhow!("saving demo product {}: {e:?}", p.name))?;
        catalog::set_sort_order(conn, id, i as i64)?;
        for (j, plan) in PLANS.iter().filter(|plan| plan.product == p.name).enumerate() {
            let form = PlanForm {
                name: plan.name.into(),
                period: plan.period.into(),
                price_idr: plan.price_idr.into(),
                price_usd: plan.price_usd.into(),
                features: plan.features.into(),
                tool_quota: plan.tool_quota.into(),
                sort_order: j.to_string(),
            };
            let input = PlanInput::parse(&form).map_err(|e| anyhow!("demo plan {}: {e}", plan.name))?;
            super::db::subscriptions::save_plan(conn, id, None, &input)?;
        }
        products += 1;
    }
    let t = now();
    let mut entries = 0;
    for e in ENTRIES {
        let form = EntryForm {
            title: e.title.into(),
            summary: e.summary.into(),
            body_md: e.body.into(),
            link_url: e.link.into(),
            tags: e.tags.into(),
            status: "published".into(),
            publish_at: crate::domain::time::datetime_local(t - e.days_ago * 86_400),
            tool: e.tool.into(),
            ..EntryForm::default()
        };
        let input = EntryInput::parse(e.kind, &form).map_err(|err| anyhow!("demo entry {}: {err}", e.title))?;
        let id = content::save(conn, None, &input, &markdown::render(&input.body_md), None)
            .map_err(|err| anyhow!("saving demo entry {}: {err:?}", e.title))?;
        // The demo speaks English; its first post also has a version in Indonesian.
        if entries == 0 {
            let (title, summary, body) = FIRST_POST_IN_INDONESIAN;
            let form = EntryForm {
                title: title.into(),
                summary: summary.into(),
                body_md: body.into(),
                status: "published".into(),
                ..form
            };
            let version = VersionInput::parse(&form).map_err(|err| anyhow!("demo version {title}: {err}"))?;
            let html = markdown::render(&version.body_md);
            content::save_version(conn, (id, e.kind), crate::domain::Lang::Id, &version, &html, None)
                .map_err(|err| anyhow!("saving demo version {title}: {err:?}"))?;
        }
        entries += 1;
    }
    Ok(Seeded::Filled { products, entries })
}

/// Runs the seed against the configured database (the `seed --demo` command).
/// `atelier seed --demo`: migrates the database, fills it with the demo content if it
/// has none, then lets `then` finish (the studio's fixed pages, the demo's name).
pub fn run(
    config: &super::config::Config,
    then: impl FnOnce(&Connection, Seeded) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let db = super::db::Db::open(&config.database_path)?;
    let mut conn = db.conn()?;
    super::db::migrate::run(&mut conn).context("applying migrations")?;
    let seeded = demo(&mut conn)?;
    let covered = covers(&conn, &config.uploads_dir)?;
    then(&conn, seeded)?;
    match seeded {
        Seeded::Filled { products, entries } => {
            println!("demo content added: {products} products and services, {entries} posts, case studies, tools, demos and resources")
        }
        Seeded::Skipped => println!("the database already has content; demo content was not added"),
    }
    if covered > 0 {
        println!("{covered} demo covers drawn into {}", config.uploads_dir.display());
    }
    Ok(())
}

/// Gives each demo product that has no cover one drawn here (so nothing needs a
/// licence): a 1280×720 JPEG in the uploads directory, `/uploads/demo-cover-{slug}.jpg`.
/// Products staff gave a cover keep it. Returns how many were drawn.
pub fn covers(conn: &Connection, uploads: &std::path::Path) -> anyhow::Result<usize> {
    let mut drawn = 0;
    for (i, p) in PRODUCTS.iter().enumerate() {
        let slug = crate::domain::Slug::from_title(p.name).map_err(|e| anyhow!("demo product {}: {e}", p.name))?;
        let Some(product) = catalog::by_slug(conn, slug.as_str())? else { continue };
        if !product.cover_image.is_empty() {
            continue;
        }
        let file = format!("demo-cover-{}.jpg", slug.as_str());
        let jpeg = cover_jpeg(i, p.kind).with_context(|| format!("drawing the cover of {}", p.name))?;
        std::fs::create_dir_all(uploads).with_context(|| format!("creating {}", uploads.display()))?;
        let path = uploads.join(&file);
        std::fs::write(&path, jpeg).with_context(|| format!("writing {}", path.display()))?;
        if catalog::set_missing_cover(conn, product.id, &format!("/uploads/{file}"))? {
            drawn += 1;
        }
    }
    Ok(drawn)
}

/// A cover: a diagonal wash between two colours of the product's kind, with soft
/// circles placed by the product's place in the list (so each cover differs, and
/// the same on every run).
fn cover_jpeg(index: usize, kind: &str) -> anyhow::Result<Vec<u8>> {
    const W: u32 = 1280;
    const H: u32 = 720;
    let (from, to): ([f32; 3], [f32; 3]) = match kind {
        "saas" => ([31.0, 78.0, 121.0], [127.0, 179.0, 213.0]),
        "service" => ([45.0, 106.0, 79.0], [149.0, 213.0, 178.0]),
        _ => ([180.0, 69.0, 31.0], [240.0, 178.0, 122.0]),
    };
    // A small linear congruential sequence: the circles' places and sizes.
    let mut seed = 0x9E37_79B9_u32.wrapping_mul(index as u32 + 1);
    let mut next = move || {
        seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        (seed >> 8) as f32 / (1u32 << 24) as f32
    };
    let circles: Vec<(f32, f32, f32, f32)> =
        (0..4).map(|_| (next() * W as f32, next() * H as f32, 80.0 + next() * 260.0, 0.08 + next() * 0.14)).collect();
    let image = image::RgbImage::from_fn(W, H, |x, y| {
        let (fx, fy) = (x as f32, y as f32);
        let t = (fx / W as f32 * 0.65 + fy / H as f32 * 0.35).clamp(0.0, 1.0);
        let mut rgb = [0.0f32; 3];
        for c in 0..3 {
            rgb[c] = from[c] + (to[c] - from[c]) * t;
        }
        for &(cx, cy, r, alpha) in &circles {
            let d = ((fx - cx).powi(2) + (fy - cy).powi(2)).sqrt();
            // Filled, with a soft edge two pixels wide, and a thin ring outside it.
            let fill = ((r - d) / 2.0).clamp(0.0, 1.0) * alpha;
            let ring = (1.0 - ((d - r - 18.0).abs() / 1.5)).clamp(0.0, 1.0) * 0.35;
            let a = fill.max(ring);
            for v in &mut rgb {
                *v += (255.0 - *v) * a;
            }
        }
        image::Rgb(rgb.map(|v| v.round().clamp(0.0, 255.0) as u8))
    });
    let mut out = Vec::with_capacity(64 * 1024);
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85).encode_image(&image)?;
    Ok(out)
}

/// A plan of a demo product (by the product's name).
struct DemoPlan {
    product: &'static str,
    name: &'static str,
    period: &'static str,
    price_idr: &'static str,
    price_usd: &'static str,
    features: &'static str,
    tool_quota: &'static str,
}

const PLANS: &[DemoPlan] = &[
    DemoPlan {
        product: "Pipeline",
        name: "Starter",
        period: "monthly",
        price_idr: "150.000",
        price_usd: "10",
        features: "500 build minutes a month\n5 concurrent previews\nUnlimited team members",
        tool_quota: "",
    },
    DemoPlan {
        product: "Pipeline",
        name: "Pro",
        period: "monthly",
        price_idr: "350.000",
        price_usd: "24",
        features: "2,000 build minutes a month\n20 concurrent previews\nPriority support\n100 tool runs a day",
        tool_quota: "100",
    },
    DemoPlan {
        product: "Pipeline",
        name: "Pro yearly",
        period: "yearly",
        price_idr: "3.500.000",
        price_usd: "240",
        features: "Everything in Pro\nTwo months free",
        tool_quota: "100",
    },
];

struct DemoProduct {
    name: &'static str,
    kind: &'static str,
    status: &'static str,
    billing: &'static str,
    price_idr: &'static str,
    price_usd: &'static str,
    delivery: &'static str,
    featured: bool,
    summary: &'static str,
    description: &'static str,
}

const PRODUCTS: &[DemoProduct] = &[
    DemoProduct {
        name: "Launch Kit",
        kind: "digital",
        status: "active",
        billing: "one_time",
        price_idr: "1.250.000",
        price_usd: "79",
        delivery: "license_key",
        featured: true,
        summary: "A production-ready Rust web starter: auth, payments, mail and a job queue, wired and tested.",
        description: "Start where most projects end up after three months.\n\n\
## What's inside\n\n\
| Part | What you get |\n|---|---|\n\
| Accounts | Sign-up, email verification, password reset, rate limits |\n\
| Payments | Midtrans and PayPal with idempotent webhooks |\n\
| Jobs | A durable SQLite queue with retries and back-off |\n\
| Tests | Black-box API tests and browser journeys |\n\n\
Your license key unlocks updates for a year. Use it on unlimited client projects.\n",
    },
    DemoProduct {
        name: "Line Icons",
        kind: "digital",
        status: "active",
        billing: "one_time",
        price_idr: "350.000",
        price_usd: "24",
        delivery: "web_access",
        featured: true,
        summary: "1,200 hand-drawn interface icons in SVG, on a 24 px grid, in three weights.",
        description: "Every icon is drawn on the same 24 px grid with consistent 1.5 px strokes, so they sit well \
next to each other and next to your type.\n\n- SVG and React components\n- Outline, solid and duotone\n- Free updates forever\n",
    },
    DemoProduct {
        name: "Pipeline",
        kind: "saas",
        status: "active",
        billing: "monthly",
        price_idr: "150.000",
        price_usd: "10",
        delivery: "web_access",
        featured: true,
        summary: "Hosted deploy previews for every pull request, with a fair monthly quota.",
        description: "Pipeline builds each pull request and gives it its own address, so reviewers click instead of \
checking out branches.\n\n**Included each month:** 500 build minutes, 20 concurrent previews, unlimited team members.\n",
    },
    DemoProduct {
        name: "Insight Analytics",
        kind: "saas",
        status: "waitlist",
        billing: "yearly",
        price_idr: "1.500.000",
        price_usd: "",
        delivery: "web_access",
        featured: false,
        summary: "Privacy-first product analytics that fits in one SQLite file. Coming early next year.",
        description: "No cookies, no personal data, no banner. Funnels, retention and events in a dashboard you can \
read in thirty seconds.\n\nJoin the waitlist and we will write to you once, when it launches.\n",
    },
    DemoProduct {
        name: "Design System Audit",
        kind: "service",
        status: "active",
        billing: "one_time",
        price_idr: "7.500.000",
        price_usd: "480",
        delivery: "manual",
        featured: false,
        summary: "Two weeks, one report: where your components, tokens and documentation help or hurt.",
        description: "We review your component library, design tokens and their use in production, then deliver a \
prioritised report and a working session with your team.\n\n1. Kick-off call\n2. Review of code and Figma\n\
3. Report with findings ranked by impact\n4. Two-hour working session\n",
    },
    DemoProduct {
        name: "Web Performance Sprint",
        kind: "service",
        status: "active",
        billing: "one_time",
        price_idr: "12.000.000",
        price_usd: "790",
        delivery: "manual",
        featured: false,
        summary: "A focused sprint that makes your slowest pages fast, measured before and after.",
        description: "We measure your real users' experience, fix the biggest wins directly in your codebase, and \
leave you with budgets that keep it fast.\n",
    },
];

struct DemoEntry {
    kind: EntryKind,
    title: &'static str,
    summary: &'static str,
    tags: &'static str,
    link: &'static str,
    days_ago: i64,
    body: &'static str,
    /// A tool page's built-in tool.
    tool: &'static str,
}

/// The Indonesian version of the demo's first post: title, summary, Markdown.
const FIRST_POST_IN_INDONESIAN: (&str, &str, &str) = (
    "Merilis aplikasi web sebagai satu biner",
    "Mengapa seluruh studio kami berjalan dari satu biner Rust dan satu berkas SQLite, dan apa harganya.",
    "Selama tiga tahun situs, toko, dan portal klien kami berjalan di empat layanan. Sekarang semuanya satu biner.\n\n\
## Bentuknya\n\nServer merender setiap halaman, peramban hanya menghidupkan bagian yang interaktif, dan \
basis datanya sebuah berkas di samping biner itu.\n\n\
## Yang kami ukur\n\n| | Sebelum | Sesudah |\n|---|---:|---:|\n| Halaman katalog, waktu server | 12 ms | 0,3 ms |\n\
| Memori saat diam | 410 MB | 31 MB |\n| Langkah rilis | 9 | 1 |\n",
);

const ENTRIES: &[DemoEntry] = &[
    DemoEntry {
        kind: EntryKind::Post,
        title: "Shipping a web app as one binary",
        summary: "Why our whole studio runs from a single Rust binary and one SQLite file, and what it costs us.",
        tags: "rust, architecture",
        link: "",
        days_ago: 3,
        body: "For three years our site, shop and client portal ran on four services. Now they are one binary.\n\n\
## The shape of it\n\nThe server renders every page, the browser hydrates only what is interactive, and \
the database is a file next to the binary:\n\n```rust\nlet db = Db::open(&config.database_path)?;\n\
let app = Application::build(config, leptos_options()?).await?;\napp.run_until(shutdown_signal()).await?;\n```\n\n\
## What we measured\n\n| | Before | After |\n|---|---:|---:|\n| Catalog page, server time | 12 ms | 0.3 ms |\n\
| Memory at rest | 410 MB | 31 MB |\n| Deploy steps | 9 | 1 |\n\n\
## What it costs\n\n- [x] Backups are one command\n- [x] Staging is a copy of a file\n- [ ] Horizontal scaling is not free[^1]\n\n\
[^1]: We have not needed it: one machine serves more traffic than we will ever have.\n",
        tool: "",
    },
    DemoEntry {
        kind: EntryKind::Post,
        title: "How we price digital products",
        summary: "Rupiah first, dollars for PayPal, and why discounts go to people who waited.",
        tags: "business, pricing",
        link: "",
        days_ago: 10,
        body: "Pricing is a product decision, not an afterthought.\n\n## Our rules\n\n\
1. Price in the currency of most of our buyers (IDR), with a USD price for PayPal.\n\
2. One list price per product. Coupons go to the people on a product's waitlist when it launches; no countdowns.\n3. Updates for a year are included; after that, renewing is optional.\n\n\
| Product type | Typical price | Delivery |\n|---|---|---|\n| Starter kits | Rp 1.250.000 | License key |\n\
| Icon sets | Rp 350.000 | Download |\n| SaaS | Rp 150.000 / month | Web access |\n\n\
~~Site-wide sales~~ trained our buyers to wait. A fair price from day one, and a thank-you to those who signed up early, works better.\n",
        tool: "",
    },
    DemoEntry {
        kind: EntryKind::Post,
        title: "SQLite in production: what we learned",
        summary: "WAL mode, one writer, busy timeouts and backups: the settings that made SQLite boring, in a good way.",
        tags: "sqlite, performance",
        link: "",
        days_ago: 24,
        body: "SQLite is a fine production database for a small studio, if you set it up deliberately.\n\n\
## The pragmas\n\n```sql\nPRAGMA journal_mode = WAL;\nPRAGMA synchronous = NORMAL;\nPRAGMA foreign_keys = ON;\nPRAGMA busy_timeout = 5000;\n```\n\n\
## Backups\n\n`VACUUM INTO` writes a consistent copy while the site keeps serving. We keep thirty days of them.\n",
        tool: "",
    },
    DemoEntry {
        kind: EntryKind::CaseStudy,
        title: "Kopi Nusantara: an online shop that loads in under a second",
        summary: "A coffee roaster's shop rebuilt for mobile buyers on slow networks: conversions up 38%.",
        tags: "",
        link: "",
        days_ago: 30,
        body: "## The brief\n\nKopi Nusantara sells single-origin beans across Indonesia. Most buyers shop on mid-range \
phones, often on 3G.\n\n## What we did\n\n- Server-rendered pages with no client framework on product pages\n\
- Images resized at upload, served in WebP\n- Midtrans checkout with every local payment method\n\n\
## Results\n\n| Metric | Before | After |\n|---|---:|---:|\n| Largest contentful paint (p75) | 4.8 s | 0.9 s |\n\
| Conversion rate | 1.6% | 2.2% |\n",
        tool: "",
    },
    DemoEntry {
        kind: EntryKind::CaseStudy,
        title: "Lumen Health: a design system for three apps",
        summary: "One component library for a patient app, a clinic dashboard and a marketing site.",
        tags: "",
        link: "",
        days_ago: 60,
        body: "## The problem\n\nThree teams, three button styles, and an accessibility audit due in two months.\n\n\
## The work\n\nWe audited 240 components, merged them into 38, and documented each with usage rules and \
accessibility notes. Every component meets WCAG 2.2 AA.\n",
        tool: "",
    },
    DemoEntry {
        kind: EntryKind::Tool,
        title: "Contrast Checker",
        summary: "Check text and background colours against WCAG 2.2 in one glance.",
        tags: "",
        link: "",
        days_ago: 40,
        body: "Paste two colours and see their contrast ratio, whether they pass AA and AAA for normal and large \
text, and the nearest passing colour.\n",
        tool: "contrast-checker",
    },
    DemoEntry {
        kind: EntryKind::Tool,
        title: "Invoice Generator",
        summary: "Fill in a form, get a clean PDF invoice: rupiah or dollars, with PPN or any tax rate.",
        tags: "",
        link: "",
        days_ago: 35,
        body: "Who it is from and to, up to five line items, the tax rate and a due date: the totals are added up in \
whole rupiah (or cents) and the PDF downloads at once. Nothing you type is stored.\n",
        tool: "invoice-generator",
    },
    DemoEntry {
        kind: EntryKind::Tool,
        title: "Slug Generator",
        summary: "Turn any title into a clean, readable URL slug, accents and all.",
        tags: "",
        link: "",
        days_ago: 45,
        body: "\"Hello, Wörld!\" becomes `hello-world`. Handles accents, punctuation and length limits the way our \
CMS does.\n",
        tool: "slug-generator",
    },
    DemoEntry {
        kind: EntryKind::Demo,
        title: "Launch Kit live demo",
        summary: "Sign up, buy with the sandbox gateway and receive a license key: the whole flow, live.",
        tags: "",
        link: "https://demo.example.com/launch-kit",
        days_ago: 20,
        body: "Use any email address; payments use the sandbox gateway, so no money moves.\n",
        tool: "",
    },
    DemoEntry {
        kind: EntryKind::Demo,
        title: "Pipeline preview",
        summary: "A read-only Pipeline workspace with previews of real pull requests.",
        tags: "",
        link: "https://demo.example.com/pipeline",
        days_ago: 21,
        body: "Browse builds, open previews and read logs. Nothing you do here changes anything.\n",
        tool: "",
    },
    DemoEntry {
        kind: EntryKind::Resource,
        title: "Accessibility checklist for launches",
        summary: "The 25 checks we run before every launch, with how to test each in five minutes.",
        tags: "",
        link: "/blog",
        days_ago: 15,
        body: "Keyboard paths, focus order, labels, contrast and motion: a printable one-page checklist.\n",
        tool: "",
    },
    DemoEntry {
        kind: EntryKind::Resource,
        title: "Project brief template",
        summary: "The brief we ask every new client to fill in: goals, audience, constraints and budget.",
        tags: "",
        link: "/contact",
        days_ago: 50,
        body: "Fill it in before our first call and we can give you a plan and a quote within a week.\n",
        tool: "",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_content_is_valid_and_only_fills_an_empty_database() {
        let mut conn = Connection::open_in_memory().unwrap();
        super::super::db::migrate::run(&mut conn).unwrap();
        let pages = crate::domain::legal::fixed_pages(&crate::domain::legal::LegalFacts::example());
        content::ensure_fixed_pages(&conn, &pages, markdown::render).unwrap();
        let filled = demo(&mut conn).unwrap();
        assert_eq!(filled, Seeded::Filled { products: PRODUCTS.len(), entries: ENTRIES.len() });
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM entries WHERE kind = 'post' AND body_html LIKE '%<table>%'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert!(tables >= 1, "posts show tables");
        assert_eq!(demo(&mut conn).unwrap(), Seeded::Skipped);
        let posts: i64 = conn.query_row("SELECT count(*) FROM entries WHERE kind = 'post'", [], |r| r.get(0)).unwrap();
        assert_eq!(posts, 3, "a second run adds nothing");
    }
}
