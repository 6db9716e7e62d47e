//! The studio's settings staff edit in `/admin/settings` (stored in the
//! database, not in the environment): who the studio is on receipts, how it is
//! found (contact address, social links, the default description and share
//! image), its tax rate, the ways of paying offered, and who hears of new orders.

use super::orders::Gateway;
use super::{Email, ValidationError};
use serde::{Deserialize, Serialize};

/// Social links kept at most.
pub const SOCIAL_MAX: usize = 8;
/// Order notice recipients kept at most.
pub const RECIPIENTS_MAX: usize = 10;

/// The settings, checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StudioSettings {
    /// The name people know ("Atelier Studio").
    pub name: String,
    /// The registered name for receipts and invoices ("PT Atelier Digital Indonesia"); empty: the name.
    pub legal_name: String,
    /// Address lines, as printed.
    pub address: Vec<String>,
    /// NPWP, or empty.
    pub tax_id: String,
    pub contact_email: String,
    /// The home page's description (search results, link previews).
    pub seo_description: String,
    /// `/uploads/...`: the image of link previews of pages without their own.
    pub share_image: String,
    /// (label, https URL).
    pub social_links: Vec<(String, String)>,
    /// PPN included in prices, in basis points (1100 = 11 %); 0: none shown.
    pub tax_rate_bp: i64,
    /// The configured gateways offered to buyers; empty: every configured one.
    pub gateways: Vec<Gateway>,
    /// Who is mailed each new order; empty: `ADMIN_NOTIFY_EMAIL`.
    pub notify_recipients: Vec<String>,
    /// The accent colour of links and buttons, `#RRGGBB`; empty: the stylesheet's own.
    pub accent: String,
    /// The version of the logo staff uploaded (its images are in `studio_images`);
    /// empty: none, the monogram of the name's first letter stands in. Set by the
    /// logo upload only, kept by a save of the form.
    pub logo: String,
    /// The logo shows the name itself: the header shows the logo alone.
    pub logo_has_name: bool,
    /// The site's language: its pages at today's addresses are in it, the other's under
    /// its code (`/en/…`). Settings saved before there was a choice read English, the
    /// language the site spoke then; a new studio starts in `STUDIO_LANGUAGE` (`id`).
    pub language: super::Lang,
}

/// Who the site is: the name every page, title and footer shows (from the settings,
/// `STUDIO_NAME` until the first save), and the registered name for the footer's
/// copyright line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StudioIdentity {
    pub name: String,
    pub legal_name: String,
    /// The accent colour as `RRGGBB` (lower case), when staff chose one.
    pub accent: Option<String>,
    /// The logo's version, when there is a logo (`/logo.png?v=…`).
    pub logo: Option<String>,
    /// The logo shows the name: the header shows it alone.
    pub logo_has_name: bool,
    /// The header's and the footer's links as shown: (label, address), in order.
    pub header_links: Vec<(String, String)>,
    pub footer_links: Vec<(String, String)>,
    /// The menus' version in the site's other language, when staff wrote one: its
    /// pages show these instead (header, footer).
    pub other_links: Option<ShownMenus>,
    /// The site's language (see [`StudioSettings::language`]).
    pub language: super::Lang,
}

/// The header's and the footer's links as shown: (label, address), in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShownMenus {
    pub header: Vec<(String, String)>,
    pub footer: Vec<(String, String)>,
}

impl StudioIdentity {
    /// `Products · {name}`; the name alone for a page without a title.
    pub fn title(&self, page: &str) -> String {
        if page.is_empty() {
            self.name.clone()
        } else {
            format!("{page} · {}", self.name)
        }
    }

    /// `© {year} {legal name, or the name}`.
    pub fn copyright(&self, year: i64) -> String {
        let holder = if self.legal_name.is_empty() { &self.name } else { &self.legal_name };
        format!("© {year} {holder}")
    }

    /// The logo's address (`/logo.png?v=…`), when there is one.
    pub fn logo_href(&self) -> Option<String> {
        self.logo.as_ref().map(|v| format!("/logo.png?v={v}"))
    }

    /// The icon of `size` px drawn from the logo (`/icons/{size}.png?v=…`); without a
    /// logo, the monogram (`/favicon.svg?v=…`, any size).
    pub fn icon_href(&self, size: u32) -> String {
        match &self.logo {
            Some(v) => format!("/icons/{size}.png?v={v}"),
            None => format!("/favicon.svg?v={}", self.monogram_version()),
        }
    }

    /// The letter the monogram shows: the name's first letter or digit, upper case.
    pub fn monogram(&self) -> char {
        self.name.chars().find(|c| c.is_alphanumeric()).map_or('A', |c| c.to_uppercase().next().unwrap_or(c))
    }

    /// The monogram icon's version: its letter, as a code point.
    fn monogram_version(&self) -> String {
        format!("{:x}", u32::from(self.monogram()))
    }

    /// The address of the stylesheet that sets the accent colour, versioned by the
    /// colour itself (so it can be cached for good); none while the default applies.
    pub fn theme_href(&self) -> Option<String> {
        self.accent.as_ref().map(|hex| format!("/theme.css?v={hex}"))
    }
}

/// Why a logo was refused; `code` travels in the settings page's address, `message` is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogoRefusal {
    Empty,
    TooLarge,
    Svg,
    NotAnImage,
    TooManyPixels,
    Damaged,
    TooSmall,
}

impl LogoRefusal {
    pub const ALL: [Self; 7] =
        [Self::Empty, Self::TooLarge, Self::Svg, Self::NotAnImage, Self::TooManyPixels, Self::Damaged, Self::TooSmall];

    pub fn code(self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::TooLarge => "size",
            Self::Svg => "svg",
            Self::NotAnImage => "type",
            Self::TooManyPixels => "pixels",
            Self::Damaged => "damaged",
            Self::TooSmall => "small",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn message(self) -> &'static str {
        match self {
            Self::Empty => "Choose an image file for the logo.",
            Self::TooLarge => "The logo is larger than 2 MB: upload a smaller image.",
            Self::Svg => {
                "An SVG logo is not accepted (an SVG file can carry scripts): upload it as a PNG, WebP or JPEG."
            }
            Self::NotAnImage => "The logo must be a PNG, WebP or JPEG image, and this file is not one.",
            Self::TooManyPixels => "The logo is too large: keep it within 4096 × 4096 pixels.",
            Self::Damaged => "The logo could not be read: the file is damaged or not a complete image.",
            Self::TooSmall => "The logo is too small: use an image at least 16 pixels on each side.",
        }
    }
}

/// The message of a logo refusal by its code (from the settings page's address).
pub fn logo_refusal_message(code: &str) -> Option<&'static str> {
    LogoRefusal::from_code(code).map(LogoRefusal::message)
}

/// The monogram icon: the name's first letter, light on dark, for a studio without a logo.
pub fn monogram_svg(letter: char) -> String {
    let letter = super::html::escape(&letter.to_string());
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 32 32\"><rect width=\"32\" height=\"32\" rx=\"8\" fill=\"#1c1917\"/>\
         <text x=\"16\" y=\"22.5\" text-anchor=\"middle\" font-family=\"Georgia, serif\" font-size=\"19\" font-weight=\"700\" \
         fill=\"#fdfcfa\">{letter}</text></svg>\n"
    )
}

/// The stylesheet of a chosen accent: the custom properties style/main.css reads.
pub fn theme_css(accent: super::tools::Rgb) -> String {
    let hex = |c: super::tools::Rgb| c.hex().to_ascii_lowercase();
    format!(
        ":root {{ --accent: {}; --accent-soft: {}; --accent-strong: {}; }}\n",
        hex(accent),
        hex(accent.tint(0.9)),
        hex(accent.shade(0.2))
    )
}

impl StudioSettings {
    /// Who the site is (the name and legal name).
    pub fn identity(&self) -> StudioIdentity {
        StudioIdentity {
            name: self.name.clone(),
            legal_name: self.legal_name.clone(),
            accent: (!self.accent.is_empty()).then(|| self.accent.trim_start_matches('#').to_ascii_lowercase()),
            logo: (!self.logo.is_empty()).then(|| self.logo.clone()),
            logo_has_name: self.logo_has_name,
            language: self.language,
            ..StudioIdentity::default()
        }
    }

    /// The name printed on receipts.
    pub fn legal_name(&self) -> &str {
        if self.legal_name.is_empty() {
            &self.name
        } else {
            &self.legal_name
        }
    }

    /// The tax included in `gross` at the studio's rate (rounded half up), if any.
    pub fn included_tax(&self, gross: i64) -> Option<i64> {
        (self.tax_rate_bp > 0)
            .then(|| (gross * self.tax_rate_bp * 2 + 10_000 + self.tax_rate_bp) / (2 * (10_000 + self.tax_rate_bp)))
    }

    /// "11 %", "11.5 %".
    pub fn tax_rate_label(&self) -> String {
        let whole = self.tax_rate_bp / 100;
        match self.tax_rate_bp % 100 {
            0 => format!("{whole} %"),
            frac if frac % 10 == 0 => format!("{whole}.{} %", frac / 10),
            frac => format!("{whole}.{frac:02} %"),
        }
    }
}

/// The settings form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SettingsForm {
    pub name: String,
    pub legal_name: String,
    /// One line per address line.
    pub address: String,
    pub tax_id: String,
    pub contact_email: String,
    pub seo_description: String,
    pub share_image: String,
    /// "Label https://..." per line.
    pub social_links: String,
    /// "11" or "11,5" (percent).
    pub tax_rate: String,
    /// One checkbox per configured gateway ("on" when offered).
    pub gateway_midtrans: String,
    pub gateway_paypal: String,
    pub gateway_ipaymu: String,
    pub gateway_sandbox: String,
    /// Addresses separated by commas or lines.
    pub notify_recipients: String,
    /// `#RRGGBB`, or empty for the default.
    pub accent: String,
    /// "on" when the logo shows the name itself.
    pub logo_has_name: String,
    /// `id` or `en`.
    pub language: String,
}

impl SettingsForm {
    pub fn from_settings(s: &StudioSettings) -> Self {
        Self {
            name: s.name.clone(),
            legal_name: s.legal_name.clone(),
            address: s.address.join("\n"),
            tax_id: s.tax_id.clone(),
            contact_email: s.contact_email.clone(),
            seo_description: s.seo_description.clone(),
            share_image: s.share_image.clone(),
            social_links: s.social_links.iter().map(|(l, u)| format!("{l} {u}")).collect::<Vec<_>>().join("\n"),
            tax_rate: if s.tax_rate_bp == 0 {
                String::new()
            } else {
                s.tax_rate_label().trim_end_matches(" %").to_owned()
            },
            gateway_midtrans: on(s.gateways.contains(&Gateway::Midtrans)),
            gateway_paypal: on(s.gateways.contains(&Gateway::Paypal)),
            gateway_ipaymu: on(s.gateways.contains(&Gateway::Ipaymu)),
            gateway_sandbox: on(s.gateways.contains(&Gateway::Sandbox)),
            notify_recipients: s.notify_recipients.join(", "),
            accent: s.accent.clone(),
            logo_has_name: on(s.logo_has_name),
            language: s.language.as_str().to_owned(),
        }
    }
}

fn on(checked: bool) -> String {
    if checked {
        "on".into()
    } else {
        String::new()
    }
}

impl SettingsForm {
    /// The gateways ticked, in the order they are listed.
    pub fn ticked(&self) -> Vec<Gateway> {
        [
            (Gateway::Midtrans, &self.gateway_midtrans),
            (Gateway::Paypal, &self.gateway_paypal),
            (Gateway::Ipaymu, &self.gateway_ipaymu),
            (Gateway::Sandbox, &self.gateway_sandbox),
        ]
        .into_iter()
        .filter(|(_, v)| matches!(v.as_str(), "on" | "true" | "1"))
        .map(|(g, _)| g)
        .collect()
    }
}

fn line(raw: &str, max: usize, what: &str) -> Result<String, ValidationError> {
    let value = super::contact::one_line(raw);
    if value.chars().count() > max {
        return Err(ValidationError::new(format!("Keep the {what} to {max} characters.")));
    }
    Ok(value)
}

impl StudioSettings {
    /// Checks a submitted form; `configured` are the gateways this installation has.
    pub fn parse(form: &SettingsForm, configured: &[Gateway]) -> Result<Self, ValidationError> {
        let name = line(&form.name, 100, "studio name")?;
        if name.is_empty() {
            return Err(ValidationError::new("Enter the studio's name."));
        }
        let address: Vec<String> =
            form.address.lines().map(super::contact::one_line).filter(|l| !l.is_empty()).collect();
        if address.len() > 6 || address.iter().any(|l| l.chars().count() > 100) {
            return Err(ValidationError::new("Keep the address to 6 lines of up to 100 characters."));
        }
        let contact_email = match form.contact_email.trim() {
            "" => String::new(),
            raw => Email::parse(raw)
                .map_err(|_| ValidationError::new("Enter the contact email as an address, like hello@studio.example."))?
                .to_string(),
        };
        let mut social_links = Vec::new();
        for raw in form.social_links.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let (label, url) = raw.rsplit_once(char::is_whitespace).unwrap_or(("", raw));
            let label = label.trim();
            let valid_url = url.starts_with("https://") && url.len() <= 300 && !url.contains(['"', '<', '>', ' ']);
            if label.is_empty() || label.chars().count() > 40 || !valid_url {
                return Err(ValidationError::new(format!(
                    "Write each social link as a name and an https address, like “Instagram https://instagram.com/studio” (not {raw:?})."
                )));
            }
            social_links.push((label.to_owned(), url.to_owned()));
        }
        if social_links.len() > SOCIAL_MAX {
            return Err(ValidationError::new(format!("Keep to {SOCIAL_MAX} social links.")));
        }
        let tax_rate_bp = match form.tax_rate.trim().trim_end_matches('%').trim().replace(',', ".") {
            raw if raw.is_empty() => 0,
            raw => {
                let (whole, frac) = raw.split_once('.').unwrap_or((&raw, ""));
                let ok = !whole.is_empty()
                    && frac.len() <= 2
                    && whole.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit());
                let bp = ok
                    .then(|| Some(whole.parse::<i64>().ok()? * 100 + format!("{frac:0<2}").parse::<i64>().ok()?))
                    .flatten()
                    .filter(|bp| *bp <= 5000);
                bp.ok_or_else(|| ValidationError::new("Enter the tax rate as a percentage from 0 to 50, like 11."))?
            }
        };
        let gateways = form.ticked();
        if gateways.iter().any(|g| !configured.contains(g)) {
            return Err(ValidationError::new("Offer only ways of paying this studio has configured."));
        }
        if !configured.is_empty() && gateways.is_empty() {
            return Err(ValidationError::new("Offer at least one way of paying."));
        }
        let mut notify_recipients = Vec::new();
        for raw in form.notify_recipients.split([',', '\n', ';']).map(str::trim).filter(|r| !r.is_empty()) {
            let email = Email::parse(raw).map_err(|_| {
                ValidationError::new(format!(
                    "{raw:?} is not an email address: list the addresses, separated by commas."
                ))
            })?;
            notify_recipients.push(email.to_string());
        }
        if notify_recipients.len() > RECIPIENTS_MAX {
            return Err(ValidationError::new(format!("Keep to {RECIPIENTS_MAX} addresses for new-order notices.")));
        }
        let accent = match form.accent.trim() {
            "" => String::new(),
            raw => match super::tools::accent_colour(raw)? {
                super::tools::DEFAULT_ACCENT => String::new(),
                chosen => chosen.hex(),
            },
        };
        let language = super::Lang::from_tag(&form.language)
            .ok_or_else(|| ValidationError::new("Choose the site's language: Bahasa Indonesia or English."))?;
        Ok(Self {
            accent,
            language,
            logo: String::new(),
            logo_has_name: matches!(form.logo_has_name.as_str(), "on" | "true" | "1"),
            name,
            legal_name: line(&form.legal_name, 150, "legal name")?,
            address,
            tax_id: line(&form.tax_id, 40, "tax id")?,
            contact_email,
            seo_description: line(&form.seo_description, 300, "description")?,
            share_image: super::uploads::validate_upload_path(&form.share_image)?,
            social_links,
            tax_rate_bp,
            gateways,
            notify_recipients,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> SettingsForm {
        SettingsForm {
            name: "Atelier Studio".into(),
            address: "Jl. Sudirman 1\n\nJakarta 10220\n".into(),
            tax_rate: "11".into(),
            gateway_sandbox: "on".into(),
            social_links: "Instagram https://instagram.com/atelier\nGitHub  https://github.com/atelier".into(),
            notify_recipients: "a@studio.example, b@studio.example".into(),
            language: "id".into(),
            ..SettingsForm::default()
        }
    }

    #[test]
    fn a_form_is_read_as_staff_mean_it() {
        let s = StudioSettings::parse(&form(), &[Gateway::Sandbox]).unwrap();
        assert_eq!(s.address, vec!["Jl. Sudirman 1", "Jakarta 10220"]);
        assert_eq!(s.tax_rate_bp, 1100);
        assert_eq!(s.social_links[1], ("GitHub".to_owned(), "https://github.com/atelier".to_owned()));
        assert_eq!(s.notify_recipients.len(), 2);
        assert_eq!(s.legal_name(), "Atelier Studio");
        assert_eq!(SettingsForm::from_settings(&s).tax_rate, "11");
        let mut f = form();
        f.tax_rate = "11,5 %".into();
        assert_eq!(StudioSettings::parse(&f, &[Gateway::Sandbox]).unwrap().tax_rate_label(), "11.5 %");
    }

    #[test]
    fn mistakes_are_named() {
        for (change, expected) in [
            (&(|f: &mut SettingsForm| f.name = " ".into()) as &dyn Fn(&mut SettingsForm), "studio's name"),
            (&|f| f.tax_rate = "eleven".into(), "tax rate"),
            (&|f| f.tax_rate = "60".into(), "tax rate"),
            (&|f| f.social_links = "Instagram http://insecure.example".into(), "https address"),
            (&|f| f.notify_recipients = "a@studio.example; nobody".into(), "\"nobody\" is not an email"),
            (&|f| f.gateway_midtrans = "on".into(), "configured"),
            (&|f| f.gateway_sandbox = String::new(), "at least one"),
            (&|f| f.share_image = "https://elsewhere.example/x.png".into(), "Uploads"),
            (&|f| f.language = "fr".into(), "Bahasa Indonesia or English"),
        ] {
            let mut f = form();
            change(&mut f);
            let err = StudioSettings::parse(&f, &[Gateway::Sandbox]).unwrap_err().to_string();
            assert!(err.contains(expected), "{expected}: {err}");
        }
    }

    #[test]
    fn the_included_tax_is_the_share_of_the_gross_price() {
        let s = StudioSettings { tax_rate_bp: 1100, ..StudioSettings::default() };
        // 111.000 incl. 11 % is 100.000 + 11.000.
        assert_eq!(s.included_tax(111_000), Some(11_000));
        assert_eq!(s.included_tax(150_000), Some(14_865));
        assert_eq!(StudioSettings::default().included_tax(150_000), None);
    }
}
