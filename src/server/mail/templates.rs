//! Every message the studio sends: one function per message, each giving a
//! subject, an HTML part and a plain-text part with absolute links.

use super::Email;
use crate::server::config::Config;

use crate::domain::html::TrustedHtml;
use crate::domain::Lang;
use crate::server::i18n::t;

/// One paragraph or a call-to-action button in a message.
pub enum Block<'a> {
    Para(&'a str),
    /// Sanitised HTML (a rendered changelog) and its plain-text form.
    Rich {
        html: &'a TrustedHtml,
        text: &'a str,
    },
    /// A small line with a link (an unsubscribe link).
    Small {
        text: &'a str,
        label: &'a str,
        href: &'a str,
    },
    Button {
        label: &'a str,
        href: &'a str,
    },
}

/// A message in `lang`: the frame (greeting, links, sign-off) from the catalog; the
/// subject and blocks as given. An empty `greeting_name` greets without a name.
fn render(config: &Config, lang: Lang, to: &str, subject: &str, greeting_name: &str, blocks: &[Block<'_>]) -> Email {
    let studio = config.studio_name_now.get();
    let mut html = TrustedHtml::markup(
        "<!doctype html><html><body style=\"margin:0;background:#f5f2ed;font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#1c1917\">\
         <table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\"><tr><td align=\"center\" style=\"padding:32px 16px\">\
         <table role=\"presentation\" width=\"560\" cellpadding=\"0\" cellspacing=\"0\" style=\"max-width:560px;background:#ffffff;border:1px solid #e7e2da;border-radius:10px\">\
         <tr><td style=\"padding:28px 32px\">",
    );
    // The logo, by an absolute address on the site (mail clients load it from there), or the name.
    html = html.then(match config.studio_name_now.logo() {
        Some(version) => TrustedHtml::format(
            "<p style=\"margin:0 0 24px\"><img src=\"{}/logo.png?v={}\" alt=\"{}\" height=\"40\" style=\"display:block;height:40px;width:auto;border:0\"></p>",
            &[config.site_url.as_str(), &version, &studio],
        ),
        None => TrustedHtml::format("<p style=\"font-weight:700;font-size:20px;margin:0 0 24px\">{}</p>", &[&studio]),
    });
    let greeting = match greeting_name.trim() {
        "" => t(lang, "mail-greeting-anyone", &[]),
        name => t(lang, "mail-greeting", &[("name", name)]),
    };
    html = html.then(TrustedHtml::format("<p style=\"margin:0 0 16px\">{}</p>", &[&greeting]));
    let mut text = format!("{greeting}\n\n");
    let paste = t(lang, "mail-paste-link", &[]);
    for block in blocks {
        match block {
            Block::Para(p) => {
                html = html.then(TrustedHtml::format("<p style=\"margin:0 0 16px;line-height:1.6\">{}</p>", &[p]));
                text.push_str(p);
                text.push_str("\n\n");
            }
            Block::Rich { html: rich, text: plain } => {
                html = html
                    .then(TrustedHtml::markup("<div style=\"margin:0 0 16px;line-height:1.6\">"))
                    .then((*rich).clone())
                    .then(TrustedHtml::markup("</div>"));
                text.push_str(plain);
                text.push_str("\n\n");
            }
            Block::Small { text: line, label, href } => {
                html = html.then(TrustedHtml::format(
                    "<p style=\"margin:24px 0 0;font-size:12px;color:#57534e\">{} <a href=\"{}\" style=\"color:#57534e\">{}</a></p>",
                    &[line, href, label],
                ));
                text.push_str(&format!("{line} {label}: {href}\n\n"));
            }
            Block::Button { label, href } => {
                html = html.then(TrustedHtml::format(
                    "<p style=\"margin:24px 0\"><a href=\"{}\" style=\"background:#b4451f;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:600\">{}</a></p>\
                     <p style=\"margin:0 0 16px;font-size:13px;color:#57534e\">{} {}</p>",
                    &[href, label, &paste, href],
                ));
                text.push_str(&format!("{label}: {href}\n\n"));
            }
        }
    }
    let home = config.url("/");
    html = html.then(TrustedHtml::format(
        "<p style=\"margin:24px 0 0\">— {}</p></td></tr></table>\
         <p style=\"font-size:12px;color:#57534e;margin:16px 0 0\"><a href=\"{}\" style=\"color:#57534e\">{}</a></p>\
         </td></tr></table></body></html>",
        &[&studio, &home, &home],
    ));
    text.push_str(&format!("— {studio}\n{home}\n"));
    Email {
        to: to.to_owned(),
        subject: subject.to_owned(),
        html,
        text,
        attachments: Vec::new(),
        list_unsubscribe: None,
    }
}

/// A message in its reader's language (`lang`): every word from the catalogs
/// (`src/locales/*/*.ftl`), the studio's name and the values put in.
struct Localised<'a> {
    config: &'a Config,
    lang: Lang,
    studio: String,
}

impl<'a> Localised<'a> {
    fn new(config: &'a Config, lang: Lang) -> Self {
        Self { config, lang, studio: config.studio_name_now.get() }
    }

    /// Message `key` with the studio's name and `args` put in.
    fn t(&self, key: &str, args: &[(&'static str, &str)]) -> String {
        let mut all = vec![("studio", self.studio.as_str())];
        all.extend_from_slice(args);
        t(self.lang, key, &all)
    }

    /// The message `{prefix}-subject` with paragraphs and, where given, a button to `link`
    /// between `{prefix}-intro` and `{prefix}-note` (each left out when `None`).
    fn mail(
        &self,
        to: &str,
        name: &str,
        prefix: &str,
        link: Option<&str>,
        args: &[(&'static str, &str)],
        note: bool,
    ) -> Email {
        let subject = self.t(&format!("{prefix}-subject"), args);
        let intro = self.t(&format!("{prefix}-intro"), args);
        let label = link.map(|_| self.t(&format!("{prefix}-button"), args));
        let outro = note.then(|| self.t(&format!("{prefix}-note"), args));
        let mut blocks = vec![Block::Para(&intro)];
        if let (Some(href), Some(label)) = (link, label.as_deref()) {
            blocks.push(Block::Button { label, href });
        }
        if let Some(outro) = outro.as_deref() {
            blocks.push(Block::Para(outro));
        }
        render(self.config, self.lang, to, &subject, name, &blocks)
    }
}

/// The address of the site's page `path` in `lang`'s version (`/en/login` when the
/// studio speaks Indonesian): a link in mail opens the page in the reader's language.
fn page_url(config: &Config, lang: Lang, path: &str) -> String {
    let site = crate::domain::i18n::SiteLanguages { default: config.studio_name_now.language() };
    config.url(&site.address(lang, path))
}

pub fn verify_email(config: &Config, lang: Lang, to: &str, name: &str, token: &str) -> Email {
    let link = page_url(config, lang, &format!("/verify-email?token={token}"));
    Localised::new(config, lang).mail(to, name, "verify-email", Some(&link), &[], true)
}

/// Sent when someone registers with an address that already has an account.
pub fn already_registered(config: &Config, lang: Lang, to: &str, name: &str) -> Email {
    let (login, forgot) = (page_url(config, lang, "/login"), page_url(config, lang, "/forgot-password"));
    Localised::new(config, lang).mail(to, name, "already-registered", Some(&login), &[("forgot", &forgot)], true)
}

pub fn reset_password(config: &Config, lang: Lang, to: &str, name: &str, token: &str) -> Email {
    let link = page_url(config, lang, &format!("/reset-password?token={token}"));
    Localised::new(config, lang).mail(to, name, "reset-password", Some(&link), &[], true)
}

/// Invites a client's person: set a password to open the client portal.
pub fn client_invite(config: &Config, lang: Lang, to: &str, name: &str, client: &str, token: &str) -> Email {
    let link = page_url(config, lang, &format!("/reset-password?token={token}"));
    let words = Localised::new(config, lang);
    let args = [("client", client)];
    let [subject, intro, label, note] =
        ["client-portal-subject", "client-invite-intro", "choose-password-button", "client-invite-note"]
            .map(|key| words.t(key, &args));
    render(
        config,
        lang,
        to,
        &subject,
        name,
        &[Block::Para(&intro), Block::Button { label: &label, href: &link }, Block::Para(&note)],
    )
}

/// To an address whose account was given a role before the address was confirmed: the
/// password chosen at registration no longer works; choose one through this link.
pub fn access_granted(
    config: &Config,
    lang: Lang,
    to: &str,
    name: &str,
    role: crate::domain::Role,
    token: &str,
) -> Email {
    password_link(config, lang, to, name, "access-granted", role, token)
}

/// A message of `{prefix}-subject`, `{prefix}-intro` (naming `role`), a link to choose a
/// password with `token`, and how long it works.
fn password_link(
    config: &Config,
    lang: Lang,
    to: &str,
    name: &str,
    prefix: &str,
    role: crate::domain::Role,
    token: &str,
) -> Email {
    let link = page_url(config, lang, &format!("/reset-password?token={token}"));
    let words = Localised::new(config, lang);
    let args = [("role", role.as_str())];
    let (subject, intro) = (words.t(&format!("{prefix}-subject"), &args), words.t(&format!("{prefix}-intro"), &args));
    let (label, note) = (words.t("choose-password-button", &args), words.t("staff-link-note", &args));
    render(
        config,
        lang,
        to,
        &subject,
        name,
        &[Block::Para(&intro), Block::Button { label: &label, href: &link }, Block::Para(&note)],
    )
}

/// Tells someone with an account already that they now see a client's projects.
pub fn client_added(config: &Config, lang: Lang, to: &str, name: &str, client: &str) -> Email {
    let link = config.url("/client");
    let words = Localised::new(config, lang);
    let args = [("client", client)];
    let [subject, intro, label] =
        ["client-portal-subject", "client-added-intro", "client-added-button"].map(|key| words.t(key, &args));
    render(config, lang, to, &subject, name, &[Block::Para(&intro), Block::Button { label: &label, href: &link }])
}

/// Confirms a password change made from the profile (and warns if it was not them).
pub fn password_changed(config: &Config, lang: Lang, to: &str, name: &str) -> Email {
    let forgot = config.url("/forgot-password");
    Localised::new(config, lang).mail(to, name, "password-changed", None, &[("forgot", &forgot)], true)
}

/// To the new address: the link that moves the account to it.
pub fn confirm_new_email(config: &Config, lang: Lang, to: &str, name: &str, token: &str) -> Email {
    let link = config.url(&format!("/confirm-email?token={token}"));
    Localised::new(config, lang).mail(to, name, "confirm-new-email", Some(&link), &[], true)
}

/// To the current address: a change was asked for (nothing changes until it is confirmed).
pub fn email_change_requested(config: &Config, lang: Lang, to: &str, name: &str, new_email: &str) -> Email {
    Localised::new(config, lang).mail(to, name, "email-change-requested", None, &[("new_email", new_email)], true)
}

/// To an address that already has an account, when someone asks to move another account to it.
pub fn email_in_use(config: &Config, lang: Lang, to: &str) -> Email {
    let login = config.url("/login");
    Localised::new(config, lang).mail(to, "", "email-in-use", Some(&login), &[], false)
}

/// To the old address once the move is done.
pub fn email_changed(config: &Config, lang: Lang, to: &str, name: &str, new_email: &str) -> Email {
    Localised::new(config, lang).mail(to, name, "email-changed", None, &[("new_email", new_email)], true)
}

/// To the address an account had, once it is deleted (by its person, or `by_staff`).
pub fn account_deleted(config: &Config, lang: Lang, to: &str, name: &str, by_staff: bool) -> Email {
    let account = Localised::new(config, lang);
    let by = [("by", if by_staff { "staff" } else { "self" })];
    let (done, kept) = (account.t("account-deleted-done", &by), account.t("account-deleted-kept", &by));
    let subject = account.t("account-deleted-subject", &[]);
    render(config, lang, to, &subject, name, &[Block::Para(&done), Block::Para(&kept)])
}

/// To someone staff opened an account for: choose a password through the link.
pub fn account_opened(
    config: &Config,
    lang: Lang,
    to: &str,
    name: &str,
    role: crate::domain::Role,
    token: &str,
) -> Email {
    password_link(config, lang, to, name, "account-opened", role, token)
}

/// Sent when a password reset is asked for an address without an account (in the
/// language of the page it was asked from).
pub fn reset_unknown_address(config: &Config, lang: Lang, to: &str) -> Email {
    let register = page_url(config, lang, "/register");
    Localised::new(config, lang).mail(to, "", "reset-unknown", Some(&register), &[], true)
}

pub fn order_confirmed(
    config: &Config,
    lang: Lang,
    to: &str,
    name: &str,
    order: &crate::server::db::orders::OrderRow,
) -> Email {
    let ((link, amount), words) = (order_page(config, order), Localised::new(config, lang));
    let args = [("order", order.public_id.as_str()), ("amount", amount.as_str()), ("product", &order.product_name)];
    let (intro, note) = (words.t("order-confirmed-intro", &args), words.t("order-confirmed-note", &args));
    let label = words.t("order-confirmed-button", &args);
    render(
        config,
        lang,
        to,
        &words.t("order-confirmed-subject", &args),
        name,
        &[Block::Para(&intro), Block::Para(&note), Block::Button { label: &label, href: &link }],
    )
}

/// How to pay an order just created with a gateway: the virtual account or QRIS (a
/// transfer) or the link to continue (Snap, PayPal), the amount and the deadline in WIB.
#[allow(clippy::too_many_arguments)]
pub fn payment_instructions(
    config: &Config,
    lang: Lang,
    to: &str,
    name: &str,
    order: &crate::server::db::orders::OrderRow,
    deadline: i64,
    continue_url: &str,
    instructions: Option<&crate::domain::orders::PaymentInstructions>,
) -> Email {
    use crate::domain::orders::PayChannel;
    let ((order_page, amount), words) = (order_page(config, order), Localised::new(config, lang));
    let deadline = lang.date_time(deadline);
    let args = [
        ("order", order.public_id.as_str()),
        ("product", &order.product_name),
        ("amount", &amount),
        ("deadline", &deadline),
        ("gateway", order.gateway.label()),
    ];
    let what = words.t("payment-instructions-what", &args);
    let how = match instructions {
        Some(i) if i.channel == PayChannel::Qris => words.t("payment-instructions-qris", &args),
        Some(i) => {
            let holder = if i.payment_name.is_empty() { String::new() } else { format!(" ({})", i.payment_name) };
            let transfer = [("channel", i.channel.label()), ("number", i.payment_no.as_str()), ("holder", &holder)];
            words.t("payment-instructions-transfer", &[&args[..], &transfer[..]].concat())
        }
        None => words.t("payment-instructions-continue", &args),
    };
    let (label, href) = match instructions {
        Some(_) => (words.t("payment-instructions-open", &args), order_page.as_str()),
        None => (words.t("payment-instructions-go", &args), continue_url),
    };
    let note = words.t("payment-instructions-note", &args);
    render(
        config,
        lang,
        to,
        &words.t("payment-instructions-subject", &args),
        name,
        &[Block::Para(&what), Block::Para(&how), Block::Button { label: &label, href }, Block::Para(&note)],
    )
}

/// The one reminder of a payment not made, six hours before its deadline.
pub fn payment_reminder(
    config: &Config,
    lang: Lang,
    to: &str,
    name: &str,
    order: &crate::server::db::orders::OrderRow,
    deadline: i64,
) -> Email {
    let ((link, amount), deadline) = (order_page(config, order), lang.date_time(deadline));
    let args = [
        ("order", order.public_id.as_str()),
        ("product", &order.product_name),
        ("amount", &amount),
        ("deadline", &deadline),
    ];
    Localised::new(config, lang).mail(to, name, "payment-reminder", Some(&link), &args, false)
}

/// A payment that did not go through (expired or failed), with a way to try again.
pub fn payment_not_completed(
    config: &Config,
    lang: Lang,
    to: &str,
    name: &str,
    order: &crate::server::db::orders::OrderRow,
    status: crate::domain::orders::OrderStatus,
    retry: &str,
) -> Email {
    use crate::domain::orders::OrderStatus;
    let ((_, amount), words) = (order_page(config, order), Localised::new(config, lang));
    let args = [
        ("order", order.public_id.as_str()),
        ("product", &order.product_name),
        ("amount", &amount),
        ("gateway", order.gateway.label()),
    ];
    let prefix = if status == OrderStatus::Expired { "payment-expired" } else { "payment-failed" };
    let [subject, what] = ["subject", "intro"].map(|part| words.t(&format!("{prefix}-{part}"), &args));
    let (again, label) = (words.t("payment-again", &args), words.t("payment-again-button", &args));
    render(
        config,
        lang,
        to,
        &subject,
        name,
        &[Block::Para(&what), Block::Para(&again), Block::Button { label: &label, href: retry }],
    )
}

pub fn order_refunded(
    config: &Config,
    lang: Lang,
    to: &str,
    name: &str,
    order: &crate::server::db::orders::OrderRow,
) -> Email {
    let (link, amount) = order_page(config, order);
    let args = [("order", order.public_id.as_str()), ("amount", amount.as_str()), ("product", &order.product_name)];
    Localised::new(config, lang).mail(to, name, "order-refunded", Some(&link), &args, false)
}

/// An order's page in the dashboard and its amount, as its mails name them.
fn order_page(config: &Config, order: &crate::server::db::orders::OrderRow) -> (String, String) {
    (config.url(&format!("/dashboard/orders/{}", order.public_id)), order_amount(order))
}

pub fn license_key_ready(config: &Config, lang: Lang, to: &str, name: &str, product: &str, key: &str) -> Email {
    let link = config.url("/dashboard/downloads");
    let words = Localised::new(config, lang);
    let args = [("product", product)];
    let (intro, note, label) =
        (words.t("license-key-intro", &args), words.t("license-key-note", &args), words.t("license-key-button", &args));
    render(
        config,
        lang,
        to,
        &words.t("license-key-subject", &args),
        name,
        &[Block::Para(&intro), Block::Para(key), Block::Para(&note), Block::Button { label: &label, href: &link }],
    )
}

/// The download links of an order: one per file of the product (`(label, token)`).
pub fn download_ready(
    config: &Config,
    lang: Lang,
    to: &str,
    name: &str,
    product: &str,
    links: &[(String, String)],
    max: u32,
) -> Email {
    let words = Localised::new(config, lang);
    let (files, max) = (links.len().to_string(), max.to_string());
    let args = [("product", product), ("files", files.as_str()), ("max", max.as_str())];
    let urls: Vec<(String, String)> = links
        .iter()
        .map(|(label, token)| {
            (words.t("download-file-button", &[("file", label)]), config.url(&format!("/files/{token}")))
        })
        .collect();
    let intro = words.t(if links.len() == 1 { "download-intro-one" } else { "download-intro-many" }, &args);
    let one = words.t("download-button", &args);
    let mut blocks = vec![Block::Para(&intro)];
    if let [(_, href)] = urls.as_slice() {
        blocks.push(Block::Button { label: &one, href });
    } else {
        blocks.extend(urls.iter().map(|(label, href)| Block::Button { label, href }));
    }
    let lasts = words.t("download-note", &args);
    blocks.push(Block::Para(&lasts));
    render(config, lang, to, &words.t("download-subject", &args), name, &blocks)
}

/// What a "Send update" mail says.
pub struct ProductUpdate<'a> {
    pub product: &'a str,
    pub label: &'a str,
    pub version: &'a str,
    pub changelog_md: &'a str,
    /// Rendered and sanitised.
    pub changelog_html: &'a TrustedHtml,
    pub token: &'a str,
    pub max: u32,
    pub unsubscribe: &'a str,
}

pub fn product_update(config: &Config, lang: Lang, to: &str, name: &str, u: &ProductUpdate<'_>) -> Email {
    let link = config.url(&format!("/files/{}", u.token));
    let max = u.max.to_string();
    let args = [("product", u.product), ("label", u.label), ("version", u.version), ("max", max.as_str())];
    let words = Localised::new(config, lang);
    let [intro, changes, label, lasts, why, stop] = ["intro", "changes", "button", "note", "why", "stop"]
        .map(|part| words.t(&format!("product-update-{part}"), &args));
    let mut blocks = vec![Block::Para(&intro)];
    if !u.changelog_md.trim().is_empty() {
        blocks.push(Block::Para(&changes));
        blocks.push(Block::Rich { html: u.changelog_html, text: u.changelog_md });
    }
    blocks.push(Block::Button { label: &label, href: &link });
    blocks.push(Block::Para(&lasts));
    blocks.push(Block::Small { text: &why, label: &stop, href: u.unsubscribe });
    let mut email = render(config, lang, to, &words.t("product-update-subject", &args), name, &blocks);
    email.list_unsubscribe = Some(u.unsubscribe.to_owned());
    email
}

/// What a waitlist's launch mail says.
pub struct WaitlistLaunch<'a> {
    pub product: &'a str,
    pub summary: &'a str,
    /// The product page, with the coupon applied.
    pub link: &'a str,
    pub code: &'a str,
    /// The early-bird discount, in percent.
    pub percent: i64,
    /// The first second the coupon no longer works.
    pub until: i64,
}

pub fn waitlist_launch(config: &Config, lang: Lang, to: &str, name: &str, l: &WaitlistLaunch<'_>) -> Email {
    let (percent, until) = (l.percent.to_string(), lang.date_time(l.until));
    let args = [("product", l.product), ("percent", percent.as_str()), ("code", l.code), ("until", until.as_str())];
    let words = Localised::new(config, lang);
    let [intro, offer, label, note] =
        ["intro", "offer", "button", "note"].map(|part| words.t(&format!("waitlist-launch-{part}"), &args));
    let mut blocks = vec![Block::Para(&intro)];
    if !l.summary.trim().is_empty() {
        blocks.push(Block::Para(l.summary));
    }
    blocks.push(Block::Para(&offer));
    blocks.push(Block::Button { label: &label, href: l.link });
    blocks.push(Block::Para(&note));
    render(config, lang, to, &words.t("waitlist-launch-subject", &args), name, &blocks)
}

pub fn access_withdrawn(
    config: &Config,
    lang: Lang,
    to: &str,
    name: &str,
    order: &crate::server::db::orders::OrderRow,
    reason: &str,
) -> Email {
    let link = config.url(&format!("/dashboard/orders/{}", order.public_id));
    let words = Localised::new(config, lang);
    let args = [("product", order.product_name.as_str()), ("order", &order.public_id), ("reason", reason)];
    let [intro, why, note, label] =
        ["intro", "reason", "note", "button"].map(|part| words.t(&format!("access-withdrawn-{part}"), &args));
    render(
        config,
        lang,
        to,
        &words.t("access-withdrawn-subject", &args),
        name,
        &[Block::Para(&intro), Block::Para(&why), Block::Para(&note), Block::Button { label: &label, href: &link }],
    )
}

/// Where a buyer's GitHub access stands, as its mail says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GithubAccess<'a> {
    Invited { login: &'a str, repo: &'a str },
    InvitedAgain { login: &'a str, repo: &'a str },
    Granted { login: &'a str, repo: &'a str },
}

pub fn github_invited(
    config: &Config,
    lang: Lang,
    to: &str,
    name: &str,
    product: &str,
    access: GithubAccess<'_>,
) -> Email {
    let (key, login, repo) = match access {
        GithubAccess::Invited { login, repo } => ("github-invited", login, repo),
        GithubAccess::InvitedAgain { login, repo } => ("github-invited-again", login, repo),
        GithubAccess::Granted { login, repo } => ("github-granted", login, repo),
    };
    let args = [("product", product), ("login", login), ("repo", repo)];
    let words = Localised::new(config, lang);
    let [detail, label, note] = [key, "github-button", "github-note"].map(|k| words.t(k, &args));
    render(
        config,
        lang,
        to,
        &words.t("github-subject", &args),
        name,
        &[
            Block::Para(&detail),
            Block::Button { label: &label, href: "https://github.com/notifications" },
            Block::Para(&note),
        ],
    )
}

pub fn access_ready(config: &Config, lang: Lang, to: &str, name: &str, product: &str) -> Email {
    let link = config.url("/dashboard");
    Localised::new(config, lang).mail(to, name, "access-ready", Some(&link), &[("product", product)], false)
}

/// A mail to the studio's team (`to`, in `lang`: see `studio::settings::staff_language`):
/// `{prefix}-subject` and `{prefix}-intro` with `args`, then `paragraphs` as written, and a
/// button (`button` message) to `path` on the site.
fn to_team(
    config: &Config,
    lang: Lang,
    to: &str,
    prefix: &str,
    args: &[(&'static str, &str)],
    paragraphs: &[&str],
    (button, path): (&str, &str),
) -> Email {
    let link = config.url(path);
    let [subject, intro] = ["subject", "intro"].map(|part| t(lang, &format!("{prefix}-{part}"), args));
    let label = t(lang, button, &[]);
    let mut blocks = vec![Block::Para(&intro)];
    blocks.extend(paragraphs.iter().map(|p| Block::Para(p)));
    blocks.push(Block::Button { label: &label, href: &link });
    render(config, lang, to, &subject, &t(lang, "staff-greeting-name", &[]), &blocks)
}

/// To staff: a paid order that needs hands-on delivery.
pub fn manual_task(config: &Config, lang: Lang, order: &crate::server::db::orders::OrderRow, buyer: &str) -> Email {
    let path = format!("/admin/orders/{}", order.public_id);
    let args = [("product", order.product_name.as_str()), ("order", order.public_id.as_str()), ("buyer", buyer)];
    to_team(config, lang, &config.admin_notify_email, "staff-manual-task", &args, &[], ("staff-open-order", &path))
}

/// To staff: the gateway refunded part of a paid order; nothing was withdrawn yet.
pub fn partial_refund_notice(
    config: &Config,
    lang: Lang,
    order: &crate::server::db::orders::OrderRow,
    notice: &str,
) -> Email {
    let path = format!("/admin/orders/{}", order.public_id);
    let args = [("product", order.product_name.as_str()), ("order", order.public_id.as_str())];
    let notice = crate::server::i18n::in_language(lang, notice);
    to_team(
        config,
        lang,
        &config.admin_notify_email,
        "staff-partial-refund",
        &args,
        &[&notice],
        ("staff-decide", &path),
    )
}

/// The studio's notice of a paid order (to `ADMIN_NOTIFY_EMAIL`, or the recipients staff chose).
pub fn new_order_notice(
    config: &Config,
    lang: Lang,
    to: &str,
    order: &crate::server::db::orders::OrderRow,
    buyer_email: &str,
    buyer_name: &str,
) -> Email {
    let path = format!("/admin/orders/{}", order.public_id);
    let amount = order_amount(order);
    let gateway = crate::server::i18n::in_language(lang, order.gateway.label());
    let args = [
        ("product", order.product_name.as_str()),
        ("order", order.public_id.as_str()),
        ("buyer", buyer_name),
        ("email", buyer_email),
        ("amount", amount.as_str()),
        ("gateway", &gateway),
    ];
    to_team(config, lang, to, "staff-new-order", &args, &[], ("staff-open-order", &path))
}

pub fn manual_delivered(
    config: &Config,
    lang: Lang,
    to: &str,
    name: &str,
    product: &str,
    message: &str,
    order: &str,
) -> Email {
    let link = config.url(&format!("/dashboard/orders/{order}"));
    noted(config, lang, to, name, "manual-delivered", &[("product", product), ("order", order)], message, &link)
}

/// A message whose words come from the catalog around a note from the studio: `{prefix}-intro`,
/// the note as written, and a `{prefix}-button` to `link`.
#[allow(clippy::too_many_arguments)]
fn noted(
    config: &Config,
    lang: Lang,
    to: &str,
    name: &str,
    prefix: &str,
    args: &[(&'static str, &str)],
    note: &str,
    link: &str,
) -> Email {
    let words = Localised::new(config, lang);
    let [subject, intro, label] = ["subject", "intro", "button"].map(|part| words.t(&format!("{prefix}-{part}"), args));
    render(
        config,
        lang,
        to,
        &subject,
        name,
        &[Block::Para(&intro), Block::Para(note), Block::Button { label: &label, href: link }],
    )
}

/// A step of a service the member bought: what the studio is doing now.
pub fn service_update(
    config: &Config,
    lang: Lang,
    to: &str,
    name: &str,
    product: &str,
    note: &str,
    order: &str,
) -> Email {
    let link = config.url("/dashboard/services");
    noted(config, lang, to, name, "service-update", &[("product", product), ("order", order)], note, &link)
}

/// Sent once, when someone joins a product's waitlist.
pub fn waitlist_joined(
    config: &Config,
    lang: Lang,
    to: &str,
    name: &str,
    product: &crate::domain::products::Product,
) -> Email {
    let link = config.url(&product.path());
    Localised::new(config, lang).mail(to, name, "waitlist-joined", Some(&link), &[("product", &product.name)], true)
}

/// Tells the studio a contact message arrived.
pub fn contact_received(config: &Config, lang: Lang, id: i64, input: &crate::domain::contact::ContactInput) -> Email {
    let no_subject = t(lang, "staff-no-subject", &[]);
    let subject = if input.subject.is_empty() { no_subject.as_str() } else { input.subject.as_str() };
    let id = id.to_string();
    let args =
        [("name", input.name.as_str()), ("email", input.email.as_str()), ("subject", subject), ("id", id.as_str())];
    let after = t(lang, "staff-contact-after", &[]);
    let paragraphs = [input.message.as_str(), after.as_str()];
    to_team(
        config,
        lang,
        &config.admin_notify_email,
        "staff-contact",
        &args,
        &paragraphs,
        ("staff-open-inbox", "/admin/contacts"),
    )
}

fn order_amount(order: &crate::server::db::orders::OrderRow) -> String {
    use crate::domain::{Currency, Money};
    let currency = Currency::parse(&order.currency).unwrap_or(Currency::Idr);
    Money { minor: order.amount, currency }.to_string()
}

/// What a subscription mail names: the member (and the language they read), the
/// subscription, the plan and product.
pub struct SubscriptionMail<'a> {
    pub to: &'a str,
    pub name: &'a str,
    pub lang: Lang,
    pub public_id: &'a str,
    pub product: &'a str,
    pub plan: &'a str,
    pub period_end: i64,
}

impl SubscriptionMail<'_> {
    /// Message `key` with the product, the plan, the period's end and `args` put in.
    fn t(&self, config: &Config, key: &str, args: &[(&'static str, &str)]) -> String {
        let end = self.lang.date_time(self.period_end);
        let mut all = vec![("product", self.product), ("plan", self.plan), ("end", end.as_str())];
        all.extend_from_slice(args);
        Localised::new(config, self.lang).t(key, &all)
    }
}

fn subscription_link(config: &Config, s: &SubscriptionMail<'_>) -> String {
    config.url(&format!("/dashboard/subscriptions?renew={}", s.public_id))
}

/// 7 days (or 1 day) before the period ends: renew with one click.
pub fn subscription_reminder(config: &Config, s: &SubscriptionMail<'_>, days_left: i64) -> Email {
    let days = days_left.to_string();
    let args = [("when", if days_left <= 1 { "tomorrow" } else { "later" }), ("days", days.as_str())];
    let link = subscription_link(config, s);
    let [subject, intro, note] =
        ["subject", "intro", "note"].map(|part| s.t(config, &format!("subscription-reminder-{part}"), &args));
    let label = s.t(config, "subscription-renew-button", &[]);
    render(
        config,
        s.lang,
        s.to,
        &subject,
        s.name,
        &[Block::Para(&intro), Block::Button { label: &label, href: &link }, Block::Para(&note)],
    )
}

pub fn subscription_renewed(config: &Config, s: &SubscriptionMail<'_>) -> Email {
    subscription_notice(config, s, "subscription-renewed", &[])
}

pub fn subscription_past_due(config: &Config, s: &SubscriptionMail<'_>, access_until: i64) -> Email {
    let link = subscription_link(config, s);
    let until = s.lang.date_time(access_until);
    let args = [("until", until.as_str())];
    let (subject, intro) =
        (s.t(config, "subscription-past-due-subject", &args), s.t(config, "subscription-past-due-intro", &args));
    let label = s.t(config, "subscription-renew-button", &[]);
    render(config, s.lang, s.to, &subject, s.name, &[Block::Para(&intro), Block::Button { label: &label, href: &link }])
}

pub fn subscription_expired(config: &Config, s: &SubscriptionMail<'_>) -> Email {
    subscription_notice(config, s, "subscription-expired", &[])
}

pub fn subscription_cancelled(config: &Config, s: &SubscriptionMail<'_>) -> Email {
    subscription_notice(config, s, "subscription-cancelled", &[])
}

/// A subscription changed by its member, staff or the hourly check: `{prefix}-subject`,
/// the paragraph `{prefix}-intro` and the way to the member's subscriptions.
fn subscription_notice(
    config: &Config,
    s: &SubscriptionMail<'_>,
    prefix: &str,
    args: &[(&'static str, &str)],
) -> Email {
    let link = config.url("/dashboard/subscriptions");
    let (subject, para) =
        (s.t(config, &format!("{prefix}-subject"), args), s.t(config, &format!("{prefix}-intro"), args));
    let label = s.t(config, "subscription-button", &[]);
    render(config, s.lang, s.to, &subject, s.name, &[Block::Para(&para), Block::Button { label: &label, href: &link }])
}

/// An upgrade paid: the dearer plan holds from now (its receipt is attached by the caller).
pub fn subscription_upgraded(config: &Config, s: &SubscriptionMail<'_>) -> Email {
    subscription_notice(config, s, "subscription-upgraded", &[])
}

/// A change scheduled for the renewal has taken effect.
pub fn subscription_plan_changed(config: &Config, s: &SubscriptionMail<'_>) -> Email {
    subscription_notice(config, s, "subscription-plan-changed", &[])
}

/// A pause began: access is withdrawn until `until`, then it resumes by itself.
pub fn subscription_paused(config: &Config, s: &SubscriptionMail<'_>, until: i64) -> Email {
    let until = s.lang.date_time(until);
    subscription_notice(config, s, "subscription-paused", &[("until", until.as_str())])
}

/// A notice of the client portal (a quote answered, an invoice sent, paid or
/// due, a message) in `lang`: paragraphs (empty ones left out) and one button.
pub fn portal_notice(
    config: &Config,
    lang: Lang,
    to: &str,
    name: &str,
    subject: &str,
    paragraphs: &[&str],
    (label, href): (&str, &str),
) -> Email {
    let mut blocks: Vec<Block<'_>> =
        paragraphs.iter().filter(|p| !p.trim().is_empty()).map(|p| Block::Para(p)).collect();
    blocks.push(Block::Button { label, href });
    render(config, lang, to, subject, name, &blocks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::config::{Config, Source};

    #[test]
    fn names_are_escaped_and_links_are_absolute() {
        let config = Config::load(&Source::map(&[("SITE_URL", "https://studio.example")])).unwrap();
        // A new studio speaks Indonesian: an Indonesian reader's link is the page's usual
        // address, an English reader's its /en version.
        let mail = verify_email(&config, Lang::Id, "a@b.co", "<script>x</script>", "tok123");
        assert!(!mail.html.as_str().contains("<script>"));
        assert!(mail.html.as_str().contains("&lt;script&gt;"));
        assert!(mail.text.contains("https://studio.example/verify-email?token=tok123"));
        assert!(mail.html.as_str().contains("https://studio.example/verify-email?token=tok123"));
        let mail = verify_email(&config, Lang::En, "a@b.co", "Ana", "tok123");
        assert!(mail.text.contains("https://studio.example/en/verify-email?token=tok123"), "{}", mail.text);
    }
}
