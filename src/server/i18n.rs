//! The message catalogs, `src/locales/{id,en}/*.ftl` (Fluent), compiled into the binary
//! by `fluent-templates` and read here on the server only: mail, documents and pages
//! take their words from [`t`]. Every message exists in both languages (checked by
//! `tests::both_catalogs_have_the_same_messages`), so a lookup never falls back to
//! the other language; one that fails anyway is logged and shows its key.

use crate::domain::Lang;
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::LanguageIdentifier;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./src/locales",
        fallback_language: "en",
        // No Unicode isolation marks around the values put in: mail subjects and
        // plain-text parts would carry them as invisible characters.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static IDS: LazyLock<[LanguageIdentifier; 2]> =
    LazyLock::new(|| [Lang::Id, Lang::En].map(|l| l.as_str().parse().expect("a language code is an identifier")));

fn identifier(lang: Lang) -> &'static LanguageIdentifier {
    &IDS[match lang {
        Lang::Id => 0,
        Lang::En => 1,
    }]
}

/// Message `key` in `lang`, with `args` put in (`{ $name }`).
pub fn t(lang: Lang, key: &str, args: &[(&'static str, &str)]) -> String {
    let args: HashMap<Cow<'static, str>, FluentValue<'_>> =
        args.iter().map(|(name, value)| (Cow::Borrowed(*name), FluentValue::from(*value))).collect();
    match LOCALES.lookup_single_language(identifier(lang), key, Some(&args)) {
        Ok(text) => text,
        Err(err) => {
            tracing::error!(key, lang = lang.as_str(), error = %err, "a message is missing from the catalog");
            key.to_owned()
        }
    }
}

/// Words kept once per process, by message and language (`text`'s and `fill`'s):
/// keys come from the code (literals, and the codes of its enums), a bounded set.
struct Kept(LazyLock<std::sync::RwLock<KeptWords>>);

/// Message → its words in Indonesian and English, each once read.
type KeptWords = HashMap<&'static str, [Option<&'static str>; 2]>;

impl Kept {
    const fn new() -> Self {
        Self(LazyLock::new(Default::default))
    }

    /// The words kept for `key` in `lang`, or `make`'s, kept from now on.
    fn get_or(&self, lang: Lang, key: &str, make: impl FnOnce() -> String) -> &'static str {
        let at = match lang {
            Lang::Id => 0,
            Lang::En => 1,
        };
        if let Some(kept) = self.0.read().unwrap_or_else(|e| e.into_inner()).get(key).and_then(|k| k[at]) {
            return kept;
        }
        let made: &'static str = Box::leak(make().into_boxed_str());
        let mut kept = self.0.write().unwrap_or_else(|e| e.into_inner());
        match kept.get_mut(key) {
            Some(texts) => texts[at] = Some(made),
            None => {
                let mut texts = [None; 2];
                texts[at] = Some(made);
                kept.insert(Box::leak(key.to_owned().into_boxed_str()), texts);
            }
        }
        made
    }
}

/// Message `key` in `lang`, without arguments: the words of the pages, looked up in
/// the catalog once per process and language, then a read of a table (a page reads
/// dozens; formatting each anew would add a tenth to a fresh render).
pub fn text(lang: Lang, key: &str) -> &'static str {
    static TEXTS: Kept = Kept::new();
    TEXTS.get_or(lang, key, || t(lang, key, &[]))
}

/// Message `key` in `lang` when the catalog has it (a code read from stored data,
/// which may be one the catalog does not name): `None` otherwise, and nothing logged.
pub fn text_if(lang: Lang, key: &str) -> Option<&'static str> {
    static TEXTS: Kept = Kept::new();
    // Kept as its key when the catalog lacks it: one lookup per process for each.
    let text = TEXTS.get_or(lang, key, || {
        LOCALES.lookup_single_language::<&str>(identifier(lang), key, None).unwrap_or_else(|_| key.to_owned())
    });
    (text != key).then_some(text)
}

/// Message `key` in `lang` with `args` put in, as [`t`] writes it, for the pages: the
/// message is formatted once per process and language with a marker for each value
/// (`{ $name }` becomes `\u{E001}name\u{E001}`), and each request puts its values
/// where the markers are — a few string replacements instead of a Fluent formatting
/// (a tenth of a dashboard's render when each line of a table formatted its words).
/// For messages that only put values in (no selector on a value: those go through [`t`]).
pub fn fill(lang: Lang, key: &str, args: &[(&'static str, &str)]) -> String {
    static TEMPLATES: Kept = Kept::new();
    let marker = |name: &str| format!("\u{E001}{name}\u{E001}");
    let template = TEMPLATES.get_or(lang, key, || {
        let markers: Vec<(&'static str, String)> = args.iter().map(|(name, _)| (*name, marker(name))).collect();
        let marked: Vec<(&'static str, &str)> = markers.iter().map(|(n, m)| (*n, m.as_str())).collect();
        t(lang, key, &marked)
    });
    let mut text = template.to_owned();
    for (name, value) in args {
        let marker = marker(name);
        if text.contains(&marker) {
            text = text.replace(&marker, value);
        }
    }
    text
}

/// An analytics table in `lang`: its title, its columns and the words of its first
/// column ([`Table::first_column_is_words`]), as the page shows them (the CSV export).
///
/// [`Table::first_column_is_words`]: crate::domain::analytics::Table::first_column_is_words
pub fn table_in(lang: Lang, table: &crate::domain::analytics::Table) -> crate::domain::analytics::Table {
    let mut out = table.clone();
    out.title = in_language(lang, &table.title).into_owned();
    out.columns = table.columns.iter().map(|c| in_language(lang, c).into_owned()).collect();
    if table.first_column_is_words() {
        for row in &mut out.rows {
            if let Some(first) = row.first_mut() {
                *first = in_language(lang, first).into_owned();
            }
        }
    }
    out
}

/// A label the code writes in English in `lang` ([`in_language`]), kept once per
/// process and language: labels come from the code (`&'static str`), a bounded set.
pub fn label_in(lang: Lang, english: &'static str) -> &'static str {
    static LABELS: Kept = Kept::new();
    if lang == Lang::En {
        return english;
    }
    LABELS.get_or(lang, english, || in_language(lang, english).into_owned())
}

/// A message the code writes in English (a refused form's reason: `errors.ftl`; a
/// label of a table or a menu of the areas: `labels.ftl`), in
/// `lang`: recognised by its English words, the catalog's other entry put in its place.
/// A message with values (`Line 3: describe the item…`) is recognised by the words
/// around them, and the values put into the other entry (each, when the catalog knows
/// it, in `lang` too). A message the catalog does not hold stays as written.
pub fn in_language(lang: Lang, english: &str) -> Cow<'_, str> {
    if lang == Lang::En {
        return Cow::Borrowed(english);
    }
    if let Some(key) = CATALOG_EN.exact.get(english) {
        return Cow::Owned(t(lang, key, &[]));
    }
    for template in &CATALOG_EN.shaped {
        if let Some(values) = template.read(english) {
            let values: Vec<(&'static str, String)> = values
                .into_iter()
                .map(|(name, value)| match CATALOG_EN.exact.get(value) {
                    Some(key) => (name, t(lang, key, &[])),
                    None => (name, value.to_owned()),
                })
                .collect();
            let args: Vec<(&'static str, &str)> = values.iter().map(|(n, v)| (*n, v.as_str())).collect();
            return Cow::Owned(t(lang, template.key, &args));
        }
    }
    Cow::Borrowed(english)
}

/// The English messages `in_language` recognises: whole ones by their words, those
/// with values by the words around them.
struct EnglishCatalog {
    exact: HashMap<String, &'static str>,
    /// Longest words first, so the most specific shape is tried first.
    shaped: Vec<Shape>,
}

/// An English message with values: its words between them (`parts`, one more than
/// `names`).
struct Shape {
    key: &'static str,
    parts: Vec<String>,
    names: Vec<&'static str>,
}

impl Shape {
    /// The values `message` has where this shape has its names, if it has this shape.
    fn read<'m>(&self, message: &'m str) -> Option<Vec<(&'static str, &'m str)>> {
        let mut rest = message.strip_prefix(self.parts[0].as_str())?;
        let mut values = Vec::with_capacity(self.names.len());
        for (i, name) in self.names.iter().enumerate() {
            let next = &self.parts[i + 1];
            let last = i + 1 == self.names.len();
            let end = match (last, next.is_empty()) {
                (true, _) => rest.strip_suffix(next.as_str()).map(str::len)?,
                (false, true) => return None,
                (false, false) => rest.find(next.as_str())?,
            };
            let value = &rest[..end];
            if value.is_empty() {
                return None;
            }
            values.push((*name, value));
            rest = &rest[end + next.len()..];
        }
        Some(values)
    }
}

static CATALOG_EN: LazyLock<EnglishCatalog> = LazyLock::new(|| {
    let mut exact = HashMap::new();
    let mut shaped = Vec::new();
    let lines = [include_str!("../locales/en/errors.ftl"), include_str!("../locales/en/labels.ftl")]
        .into_iter()
        .flat_map(str::lines)
        .filter(|l| l.starts_with(|c: char| c.is_ascii_alphabetic()));
    for (id, source) in lines.filter_map(|l| l.split_once(" =")) {
        let id: &'static str = id.trim();
        let names: Vec<&'static str> =
            source.split("{ $").skip(1).filter_map(|rest| rest.split_once(" }").map(|(name, _)| name)).collect();
        if names.is_empty() {
            exact.insert(t(Lang::En, id, &[]), id);
            continue;
        }
        // Values only (a selector on a value is a message of its own), and words enough
        // around them that the shape says which message it is.
        let words = source.split("{ $").map(|p| p.split_once(" }").map_or(p, |(_, w)| w)).collect::<String>();
        let plain = |n: &&str| n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !names.iter().all(plain) || words.chars().filter(|c| !c.is_whitespace()).count() < 5 {
            continue;
        }
        let marker = |name: &str| format!("\u{E001}{name}\u{E001}");
        let markers: Vec<(&'static str, String)> = names.iter().map(|n| (*n, marker(n))).collect();
        let args: Vec<(&'static str, &str)> = markers.iter().map(|(n, m)| (*n, m.as_str())).collect();
        let mut text = t(Lang::En, id, &args);
        let (mut parts, mut order) = (Vec::new(), Vec::new());
        while let Some(at) = text.find('\u{E001}') {
            let after = &text[at + '\u{E001}'.len_utf8()..];
            let Some(close) = after.find('\u{E001}') else { break };
            let name = names.iter().copied().find(|n| *n == &after[..close]).unwrap_or_default();
            parts.push(text[..at].to_owned());
            order.push(name);
            text = after[close + '\u{E001}'.len_utf8()..].to_owned();
        }
        parts.push(text);
        shaped.push(Shape { key: id, parts, names: order });
    }
    shaped.sort_by_key(|s| std::cmp::Reverse(s.parts.iter().map(String::len).sum::<usize>()));
    EnglishCatalog { exact, shaped }
});

#[cfg(test)]
mod tests {
    use super::t;
    use crate::domain::Lang;
    use std::collections::BTreeSet;

    /// The message ids of a catalog file: lines that start with an identifier and ` =`.
    fn ids(source: &str) -> BTreeSet<String> {
        source
            .lines()
            .filter(|l| l.starts_with(|c: char| c.is_ascii_alphabetic()))
            .filter_map(|l| l.split_once(" =").map(|(id, _)| id.trim().to_owned()))
            .collect()
    }

    #[test]
    fn a_filled_message_reads_as_the_formatted_one() {
        use super::fill;
        for lang in [Lang::Id, Lang::En] {
            for (key, args) in [
                ("dash-upgrade-now", &[("amount", "Rp 101.613"), ("left", "21"), ("days", "31")][..]),
                ("catalog-subscribe-with", &[("plan", "Pro <b>"), ("gateway", "PayPal")][..]),
                ("site-brand-home", &[("name", "Kopi & Co")][..]),
            ] {
                // Twice: the second comes from the kept template.
                assert_eq!(fill(lang, key, args), t(lang, key, args), "{key}");
                assert_eq!(fill(lang, key, args), t(lang, key, args), "{key}");
            }
        }
        assert_eq!(fill(Lang::Id, "dash-runs", &[("n", "3")]), "3 penggunaan alat hari ini:");
    }

    #[test]
    fn a_reason_with_values_is_recognised_by_its_words_and_its_values_kept() {
        use super::in_language;
        use crate::domain::tools::invoice_from_form;
        let form = |pairs: &[(&str, &str)]| {
            let fields = pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
            invoice_from_form(&fields).unwrap_err().to_string()
        };
        // What the invoice tool writes, as it writes it: a reworded reason no longer recognised fails here.
        let quantity = form(&[("currency", "IDR"), ("description_3", "Logo"), ("quantity_3", "two"), ("price_3", "1")]);
        assert_eq!(quantity, "Line 3: enter the quantity as a whole number.");
        assert_eq!(in_language(Lang::Id, &quantity), "Baris 3: masukkan jumlah sebagai bilangan bulat.");
        // A value the catalog knows is put in in the language too.
        let price = form(&[("currency", "IDR"), ("description_2", "Logo"), ("price_2", "lots")]);
        assert_eq!(
            in_language(Lang::Id, &price),
            "Baris 2: Masukkan harga dalam rupiah bulat, misalnya 1250000 atau 1.250.000."
        );
        assert_eq!(in_language(Lang::En, &price), price, "English stays as written");
        // Not a shape the catalog has: as written.
        assert_eq!(in_language(Lang::Id, "Column 2: odd"), "Column 2: odd");
        assert_eq!(in_language(Lang::Id, "Line : nothing between"), "Line : nothing between");
    }

    #[test]
    fn what_the_server_writes_for_staff_reads_in_indonesian() {
        use super::in_language;
        use crate::domain::analytics::Bucket;
        use crate::domain::license::LicenseView;
        // As the code writes them: a reworded line no longer recognised fails here.
        let week = Bucket::Week.period_label(Bucket::Week.start(20_408));
        assert!(week.starts_with("week of "), "{week}");
        assert_eq!(in_language(Lang::Id, &week), week.replace("week of", "minggu mulai"));
        let license = LicenseView {
            id: 1,
            order_public_id: String::new(),
            product_name: String::new(),
            license_key: String::new(),
            activation_limit: 3,
            expires_at: None,
            revoked: false,
            expired: false,
            created_at: 0,
            activations: Vec::new(),
        };
        let seats = license.seats_label();
        assert_eq!(in_language(Lang::Id, &seats), "0 dari 3 perangkat");
        let notice = "Midtrans refunded Rp 50.000 of Rp 150.000 on 2026-12-06 07:05 UTC. Nothing was withdrawn: \
                      withdraw access below if it should end, or mark this handled to keep it.";
        assert!(
            in_language(Lang::Id, notice)
                .starts_with("Midtrans mengembalikan Rp 50.000 dari Rp 150.000 pada 2026-12-06"),
            "{}",
            in_language(Lang::Id, notice)
        );
        assert_eq!(in_language(Lang::Id, "Blog post"), "Tulisan blog");
        assert_eq!(in_language(Lang::Id, "Waiting for payment"), "Menunggu pembayaran");
    }

    #[test]
    fn the_reasons_a_public_form_is_refused_read_in_indonesian() {
        use super::in_language;
        use crate::domain::account::NewAccount;
        use crate::error::AppError;
        let pw = "a long enough passphrase";
        // What the code writes, as it writes it: a reworded message no longer found fails here.
        let refusals = [
            NewAccount::parse("", "ana@example.com", pw, pw).unwrap_err().to_string(),
            NewAccount::parse("Ana", "ana@", pw, pw).unwrap_err().to_string(),
            NewAccount::parse("Ana", "", pw, pw).unwrap_err().to_string(),
            NewAccount::parse("Ana", "ana@example.com", "short", "short").unwrap_err().to_string(),
            NewAccount::parse("Ana", "ana@example.com", pw, "another long passphrase").unwrap_err().to_string(),
            crate::domain::contact::ContactInput::parse("Ana", "ana@example.com", "", "hi").unwrap_err().to_string(),
            AppError::RateLimited.to_string(),
            AppError::Internal.to_string(),
        ];
        for english in &refusals {
            let indonesian = in_language(Lang::Id, english);
            assert_ne!(indonesian, english.as_str(), "{english} has no Indonesian");
            assert_eq!(in_language(Lang::En, english), english.as_str());
        }
        assert_eq!(in_language(Lang::Id, "The two passwords do not match."), "Kedua kata sandi tidak sama.");
        assert_eq!(in_language(Lang::Id, "\"nobody\" is not an email address."), "\"nobody\" is not an email address.");
    }

    #[test]
    fn both_catalogs_have_the_same_messages() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/src/locales");
        let files = |lang: &str| -> Vec<String> {
            let mut names: Vec<String> = std::fs::read_dir(format!("{root}/{lang}"))
                .expect("a catalog folder")
                .map(|e| e.expect("an entry").file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            names
        };
        assert_eq!(files("id"), files("en"), "the same files in both languages");
        for file in files("en") {
            let read = |lang: &str| std::fs::read_to_string(format!("{root}/{lang}/{file}")).expect("a catalog");
            let (id, en) = (ids(&read("id")), ids(&read("en")));
            assert!(!en.is_empty(), "{file} has messages");
            assert_eq!(
                id.symmetric_difference(&en).collect::<Vec<_>>(),
                Vec::<&String>::new(),
                "{file}: messages in one language only"
            );
            // Every variable either file uses, given a value, so each message formats whole.
            let source = read("en") + &read("id");
            let names: BTreeSet<&'static str> = source
                .split('$')
                .skip(1)
                .map(|rest| rest.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).next().unwrap_or_default())
                .map(|name| &*Box::leak(name.to_owned().into_boxed_str()))
                .collect();
            let args: Vec<(&'static str, &str)> =
                names.iter().map(|n| (*n, if *n == "by" { "self" } else { "x" })).collect();
            for key in &en {
                for lang in Lang::ALL {
                    let text = t(*lang, key, &args);
                    assert_ne!(&text, key, "{file}: {key} in {lang}");
                }
            }
        }
    }

    #[test]
    fn a_message_takes_its_values_without_marks_around_them_and_a_selector_chooses() {
        assert_eq!(t(Lang::Id, "mail-greeting", &[("name", "Ana")]), "Halo Ana,");
        assert_eq!(t(Lang::En, "mail-greeting", &[("name", "Ana")]), "Hi Ana,");
        let by_staff = t(Lang::Id, "account-deleted-done", &[("studio", "Kopi"), ("by", "staff")]);
        assert!(by_staff.starts_with("Studio telah menghapus akun Kopi Anda: profil Anda"), "{by_staff}");
        let by_self = t(Lang::En, "account-deleted-done", &[("studio", "Kopi"), ("by", "self")]);
        assert!(by_self.starts_with("As you asked, we deleted your Kopi account: your profile"), "{by_self}");
    }
}
