//! The fixed pages a new studio starts with — about, privacy policy, terms and
//! disclaimer — written from what this installation does: who the studio is (its
//! settings), how people pay (the gateways configured), how long it keeps what
//! (the retention the daily maintenance applies, the backups kept), the one cookie
//! it sets. Inserted once, when missing; staff edit them afterwards like any page.

/// What the pages state, read from the settings and the configuration at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegalFacts {
    pub name: String,
    /// The registered name (or the name).
    pub legal_name: String,
    pub address: Vec<String>,
    /// Empty: the contact form only.
    pub contact_email: String,
    /// The ways of paying configured, as buyers see them ("Midtrans", "PayPal").
    pub gateways: Vec<&'static str>,
    /// Whether only the local test gateway takes payments (no real money).
    pub sandbox_only: bool,
    pub google_sign_in: bool,
    pub backup_keep_days: u32,
    pub session_hours: i64,
    pub remember_days: i64,
    pub session_cookie: &'static str,
    pub subscription_grace_days: u32,
}

impl LegalFacts {
    /// A studio with two gateways, for tests.
    #[doc(hidden)]
    pub fn example() -> Self {
        Self {
            name: "Studio Contoh".into(),
            legal_name: "PT Contoh Kreatif".into(),
            address: vec!["Jl. Kemang 2".into(), "Jakarta".into()],
            contact_email: "halo@contoh.example".into(),
            gateways: vec!["Midtrans", "PayPal"],
            sandbox_only: false,
            google_sign_in: false,
            backup_keep_days: 14,
            session_hours: 24,
            remember_days: 7,
            session_cookie: "atelier_session",
            subscription_grace_days: 3,
        }
    }
}

/// A fixed page: (slug, title, summary, Markdown body).
pub type FixedPage = (&'static str, String, String, String);

fn list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

impl LegalFacts {
    fn reach(&self) -> String {
        if self.contact_email.is_empty() {
            "through the [contact form](/contact)".to_owned()
        } else {
            format!("at {} or through the [contact form](/contact)", self.contact_email)
        }
    }

    fn who(&self) -> String {
        let mut who = self.legal_name.clone();
        if !self.address.is_empty() {
            who.push_str(&format!(" ({})", self.address.join(", ")));
        }
        who
    }

    fn payments(&self) -> String {
        if self.sandbox_only || self.gateways.is_empty() {
            "This site takes no real payments yet: its checkout runs on a test gateway.".to_owned()
        } else {
            format!(
                "Payments are handled by {}. Card and bank details are entered with them, never on this site: we \
                 receive the payment's reference, amount and outcome only.",
                list(&self.gateways)
            )
        }
    }
}

/// The about page, privacy policy, terms and disclaimer for these facts.
pub fn fixed_pages(f: &LegalFacts) -> Vec<FixedPage> {
    let name = &f.name;
    let google = if f.google_sign_in {
        "\n- **Signing in with Google**: your Google account's email address and name, when you choose it.".to_owned()
    } else {
        String::new()
    };
    let privacy = format!(
        "{who} runs this site and is responsible for the personal data it holds. You can reach us {reach}.\n\n\
## What we keep, and why\n\n\
- **Your account**: your name and email address, and your password as an Argon2id hash (never the password \
itself), to let you sign in and to send you what you bought.{google}\n\
- **Your orders**: what you bought, the amount, how you paid and the payment's reference, to deliver it and to \
keep the records the law requires.\n\
- **What you send us**: messages through the contact form, waitlist sign-ups, and, for clients, project messages \
and files.\n\
- **Tool use**: how many times a tool was run per day, by account (or, for visitors, by network address for that \
day only), to keep to each plan's quota.\n\n\
## Payments\n\n{payments}\n\n\
## Cookies\n\n\
We set one cookie, `{cookie}`, only when you sign in, to keep you signed in. There are no tracking, advertising \
or analytics cookies. Page views are counted per page and day on the server, without cookies and without \
recording who viewed what.\n\n\
## How long we keep it\n\n\
- Signed-in sessions end after {session_hours} hours without activity ({remember_days} days if you ticked \
\"keep me signed in\"), and are then deleted.\n\
- Links we email (to confirm an address, reset a password, download a file) are deleted once used or expired; \
download links 30 days after they expire.\n\
- Visitors' tool counts are deleted when their day is over; members' after 400 days.\n\
- The content of a payment notification we refused is deleted after 90 days.\n\
- Backups of the database are kept for {backup} days.\n\
- Your account and orders are kept until you delete your account.\n\n\
## Your data is yours\n\n\
Signed in, your [profile](/dashboard/profile) lets you download everything we hold about you as one file, and \
delete your account: your personal details are then removed, and only the orders the law requires us to keep \
remain, without them. For anything else, write to us {reach}.\n",
        who = f.who(),
        reach = f.reach(),
        payments = f.payments(),
        cookie = f.session_cookie,
        session_hours = f.session_hours,
        remember_days = f.remember_days,
        backup = f.backup_keep_days,
    );
    let terms = format!(
        "These terms apply to what you buy from {who} on this site.\n\n\
## Buying\n\n\
Prices are shown with the currency they are charged in. {payments} An order is yours once the payment provider \
confirms it; you will find it, with its receipt, in your [dashboard](/dashboard/orders).\n\n\
## Delivery\n\n\
What you bought is delivered as its product page says, as soon as the payment is confirmed: access in your \
dashboard, a download link by email, a license key, or an invitation to a private GitHub repository. A \
service is delivered as agreed with you in your client portal.\n\n\
## Subscriptions\n\n\
A plan renews each month or year until you cancel it from [your subscriptions](/dashboard/subscriptions); \
cancelled, it stays active until the end of the period you paid for. If a renewal payment fails, the \
subscription stays usable for {grace} days while you pay, and then ends.\n\n\
## Questions and refunds\n\n\
If something you bought does not work as described, write to us {reach} and we will make it right.\n",
        who = f.who(),
        payments = f.payments(),
        grace = f.subscription_grace_days,
        reach = f.reach(),
    );
    vec![
        (
            "about",
            format!("About {name}"),
            format!("Who we are at {name} and how we work with our clients."),
            format!(
                "{name} is a small, independent studio. We build digital products and tools, and we help other teams \
                 build theirs.\n\n## How we work\n\nEvery engagement starts with a short call and a written plan. You \
                 follow milestones and approve deliverables in your client portal, and you always know what is next.\n"
            ),
        ),
        (
            "privacy-policy",
            "Privacy policy".to_owned(),
            format!("What {name} keeps about you, why, and for how long."),
            privacy,
        ),
        ("terms", "Terms".to_owned(), format!("The terms under which {name} sells its products and services."), terms),
        (
            "disclaimer",
            "Disclaimer".to_owned(),
            format!("The terms under which {name}'s articles and resources are offered."),
            "The articles and resources on this site are offered as they are, for general information. Products are \
             licensed under the terms shown on each product's page.\n"
                .to_owned(),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> LegalFacts {
        LegalFacts::example()
    }

    #[test]
    fn the_pages_state_what_this_installation_does() {
        let pages = fixed_pages(&facts());
        let body = |slug: &str| pages.iter().find(|p| p.0 == slug).unwrap().3.clone();
        let privacy = body("privacy-policy");
        for said in [
            "PT Contoh Kreatif (Jl. Kemang 2, Jakarta) runs this site",
            "at halo@contoh.example",
            "handled by Midtrans and PayPal",
            "one cookie, `atelier_session`",
            "after 24 hours without activity (7 days",
            "kept for 14 days",
            "[profile](/dashboard/profile)",
        ] {
            assert!(privacy.contains(said), "{said}: {privacy}");
        }
        assert!(!privacy.contains("Google"), "no Google sign-in configured, none mentioned");
        assert!(body("terms").contains("usable for 3 days"));
        assert_eq!(pages.iter().find(|p| p.0 == "about").unwrap().1, "About Studio Contoh");
        let test_only = fixed_pages(&LegalFacts { sandbox_only: true, gateways: vec!["Sandbox"], ..facts() });
        assert!(test_only[1].3.contains("takes no real payments yet"));
    }
}
