//! Plans and subscriptions: what a plan costs and grants, where a subscription
//! stands, and the dates of its periods (calendar months and years in Jakarta).

use super::products::Billing;
use super::text_enum::text_enum;
use super::time::{civil_from_days, days_from_civil, days_in_month, JAKARTA_OFFSET_SECS};
use super::{Currency, Money, ValidationError};
use serde::{Deserialize, Serialize};

text_enum!(
    /// Where a subscription stands. `Cancelled` keeps access until the period
    /// ends (no reminders); then, like a `PastDue` one after its grace days, it
    /// becomes `Expired` and its access is withdrawn.
    SubscriptionStatus {
        Active = "active" / "Active",
        PastDue = "past_due" / "Past due",
        Expired = "expired" / "Expired",
        Cancelled = "cancelled" / "Cancelled",
        Paused = "paused" / "Paused",
    }
);

impl SubscriptionStatus {
    /// Whether what the subscription's delivery gives (web, GitHub, license) still holds.
    pub fn has_access(self) -> bool {
        !matches!(self, Self::Expired | Self::Paused)
    }
}

/// How long a member may pause a subscription for, in months.
pub const PAUSE_MONTHS: std::ops::RangeInclusive<u32> = 1..=3;

/// How a switch to another plan of the same product takes effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChangeKind {
    /// A dearer plan on the same period: paid now for the rest of the period, in effect on payment.
    Upgrade,
    /// A cheaper (or equal) plan, or a switch between monthly and yearly: at the next renewal.
    AtRenewal,
}

/// How moving from `from` to `to` takes effect.
pub fn change_kind(from: &Plan, to: &Plan) -> ChangeKind {
    if to.period == from.period && to.price_idr > from.price_idr {
        ChangeKind::Upgrade
    } else {
        ChangeKind::AtRenewal
    }
}

/// What an upgrade costs for the rest of a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proration {
    /// Days of the period not yet begun or under way (today counts), at least 1.
    pub days_left: i64,
    /// The period's days.
    pub days_total: i64,
}

impl Proration {
    /// The days left of the period `start..end` at `now`: a day begun counts whole.
    pub fn at(start: i64, end: i64, now: i64) -> Self {
        let days_total = ((end - start + 43_200) / 86_400).max(1);
        let days_left = ((end - now + 86_399) / 86_400).clamp(1, days_total);
        Self { days_left, days_total }
    }

    /// `difference` (a price per period, in rupiah or cents) for the days left,
    /// rounded up to the whole rupiah or cent: `ceil(difference × left ÷ total)`.
    pub fn of(&self, difference: i64) -> i64 {
        let (d, l, t) = (i128::from(difference.max(0)), i128::from(self.days_left), i128::from(self.days_total));
        i64::try_from((d * l + t - 1) / t).unwrap_or(i64::MAX)
    }
}

/// Another plan a subscriber can move to, as `/dashboard/subscriptions` offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanChoice {
    pub plan_id: i64,
    pub name: String,
    /// "Rp 300.000 per month".
    pub price: String,
    pub kind: ChangeKind,
    /// An upgrade: what is paid now ("Rp 50.000") and for how many of the period's days.
    pub upgrade_price: Option<String>,
    pub proration: Option<Proration>,
}

/// The plans of its product (`plans`, retired ones included) a subscription on
/// `current` for `start..end` can move to at `now`, each with how it takes effect.
pub fn choices(plans: &[Plan], current: i64, start: i64, end: i64, now: i64) -> Vec<PlanChoice> {
    use super::{Currency, Money};
    let Some(current) = plans.iter().find(|p| p.id == current) else { return Vec::new() };
    let proration = Proration::at(start, end, now);
    plans
        .iter()
        .filter(|p| p.id != current.id && !p.retired)
        .map(|p| {
            let kind = change_kind(current, p);
            let upgrade = (kind == ChangeKind::Upgrade).then(|| proration.of(p.price_idr - current.price_idr));
            PlanChoice {
                plan_id: p.id,
                price: p.price_label(),
                name: p.name.clone(),
                kind,
                upgrade_price: upgrade.map(|minor| Money { minor, currency: Currency::Idr }.to_string()),
                proration: upgrade.map(|_| proration),
            }
        })
        .collect()
}

/// A change of plan waiting for the renewal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduledChange {
    pub plan_name: String,
    pub plan_price: String,
    /// When it takes effect (the period end it was scheduled for).
    pub at: i64,
}

/// A plan of a product, as the product page and checkout show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub id: i64,
    pub product_id: i64,
    pub name: String,
    pub period: Billing,
    pub price_idr: i64,
    pub price_usd_cents: Option<i64>,
    pub features: Vec<String>,
    /// Runs per tool per Jakarta day while subscribed (`None`: the member default).
    pub tool_quota: Option<u32>,
    pub sort_order: i64,
    pub retired: bool,
}

impl Plan {
    /// "Rp 150.000 per month".
    pub fn price_label(&self) -> String {
        format!("{} {}", Money { minor: self.price_idr, currency: Currency::Idr }, self.period.label())
    }

    pub fn usd_label(&self) -> Option<String> {
        self.price_usd_cents.map(|c| format!("{} {}", Money { minor: c, currency: Currency::Usd }, self.period.label()))
    }

    /// The end of a period that starts at `start`.
    pub fn period_end(&self, start: i64) -> i64 {
        add_period(start, self.period)
    }
}

/// The plan form staff fill in on a product's page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlanForm {
    pub name: String,
    pub period: String,
    pub price_idr: String,
    pub price_usd: String,
    pub features: String,
    pub tool_quota: String,
    pub sort_order: String,
}

/// A plan form, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanInput {
    pub name: String,
    pub period: Billing,
    pub price_idr: i64,
    pub price_usd_cents: Option<i64>,
    pub features: Vec<String>,
    pub tool_quota: Option<u32>,
    pub sort_order: i64,
}

/// A plan's words in the site's other language, for the product's version editor:
/// the plan's own name, and its version's name and features (empty without one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanVersion {
    pub id: i64,
    pub own_name: String,
    pub name: String,
    /// One per line.
    pub features: String,
}

/// A plan's name and features (one per line), checked: the words it has in each language.
pub fn plan_words(name: &str, features: &str) -> Result<(String, Vec<String>), ValidationError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(ValidationError::new("Name the plan in at most 60 characters, like Starter or Pro."));
    }
    let features: Vec<String> = features.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
    if features.len() > 12 || features.iter().any(|f| f.chars().count() > 120) {
        return Err(ValidationError::new("List at most 12 features, one per line, each under 120 characters."));
    }
    Ok((name.to_owned(), features))
}

impl PlanInput {
    pub fn parse(form: &PlanForm) -> Result<Self, ValidationError> {
        let (name, features) = plan_words(&form.name, &form.features)?;
        let period = match Billing::parse(form.period.trim()) {
            Some(p @ (Billing::Monthly | Billing::Yearly)) => p,
            _ => return Err(ValidationError::new("Choose whether the plan renews monthly or yearly.")),
        };
        let price_idr = Money::parse(&form.price_idr, Currency::Idr)?.minor;
        if price_idr == 0 {
            return Err(ValidationError::new("A plan needs a price above Rp 0."));
        }
        let price_usd_cents = match form.price_usd.trim() {
            "" => None,
            usd => Some(Money::parse(usd, Currency::Usd)?.minor).filter(|c| *c > 0),
        };
        let tool_quota = match form.tool_quota.trim() {
            "" => None,
            q => Some(q.parse::<u32>().ok().filter(|q| *q <= 100_000).ok_or_else(|| {
                ValidationError::new("Enter the tool runs a day as a whole number from 0 to 100000, or leave it empty.")
            })?),
        };
        let sort_order = match form.sort_order.trim() {
            "" => 0,
            s => s.parse::<i64>().map_err(|_| ValidationError::new("The position must be a whole number."))?,
        };
        Ok(Self { name, period, price_idr, price_usd_cents, features, tool_quota, sort_order })
    }
}

/// One line of a subscription's history: what happened, with its values, so each
/// reader has it in their own language (`sub-event-<kind>` in the catalogs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEvent {
    pub at: i64,
    pub kind: String,
    /// Its values by name (`plan`, `order`, `days`, `note`, `price`; `until` and `at`
    /// as Unix times, written as each reader's language writes a moment).
    pub values: Vec<(String, String)>,
    /// Who did it (a member or staff), when not the system.
    pub by: Option<String>,
    /// A line kept in English words, from before the history kept its values.
    pub said: Option<String>,
}

impl HistoryEvent {
    /// The kinds of event with words of their own in the catalogs (`sub-event-<kind>`;
    /// `change_dropped` by its reason: `sub-event-change_dropped-<why>`).
    pub const KINDS: &[&str] = &[
        "started",
        "renewed",
        "reminded_7d",
        "reminded_1d",
        "past_due",
        "expired",
        "cancelled",
        "resumed",
        "refunded",
        "extended",
        "upgraded",
        "upgrade_late",
        "change_scheduled",
        "change_dropped",
        "plan_changed",
        "paused",
        "unpaused",
    ];

    /// Value `name`, if it has one.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.values.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// A subscription as its member (and staff) see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionView {
    pub public_id: String,
    pub product_name: String,
    pub product_slug: String,
    pub product_path: String,
    pub plan_name: String,
    pub plan_price: String,
    pub status: SubscriptionStatus,
    pub current_period_start: i64,
    pub current_period_end: i64,
    /// When access ends for a past-due subscription (its period end plus the grace days).
    pub grace_until: Option<i64>,
    pub member_name: String,
    pub member_email: String,
    /// What happened, oldest first.
    pub history: Vec<HistoryEvent>,
    /// While paused: the moment it resumes by itself.
    pub paused_until: Option<i64>,
    /// A downgrade or a switch of period waiting for the renewal.
    pub scheduled: Option<ScheduledChange>,
    /// The plans the member can move to (filled for the member's own page).
    pub choices: Vec<PlanChoice>,
    pub plan_id: i64,
    pub product_id: i64,
}

impl SubscriptionView {
    /// Whether the member should act (renew) soon: past due, or active and ending within 7 days.
    pub fn needs_attention(&self, now: i64) -> bool {
        match self.status {
            SubscriptionStatus::PastDue => true,
            SubscriptionStatus::Active => self.current_period_end - now <= 7 * 86_400,
            _ => false,
        }
    }

    pub fn can_renew(&self) -> bool {
        matches!(self.status, SubscriptionStatus::Active | SubscriptionStatus::PastDue | SubscriptionStatus::Cancelled)
    }
}

/// `unix` plus one billing period, in Jakarta's calendar: the same day of the next
/// month (or year), or that month's last day when it is shorter (31 Jan -> 28 Feb).
pub fn add_period(unix: i64, period: Billing) -> i64 {
    let months = match period {
        Billing::Monthly => 1,
        Billing::Yearly => 12,
        Billing::OneTime => 0,
    };
    add_months(unix, months)
}

/// `unix` plus `months` calendar months, in Jakarta time.
pub fn add_months(unix: i64, months: i64) -> i64 {
    let local = unix + JAKARTA_OFFSET_SECS;
    let (days, secs) = (local.div_euclid(86_400), local.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    let index = y * 12 + (m - 1) + months;
    let (ny, nm) = (index.div_euclid(12), index.rem_euclid(12) + 1);
    let nd = d.min(days_in_month(ny, nm));
    days_from_civil(ny, nm, nd) * 86_400 + secs - JAKARTA_OFFSET_SECS
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::datetime_local;

    fn jakarta(unix: i64) -> String {
        datetime_local(unix + JAKARTA_OFFSET_SECS)
    }

    fn at(local: &str) -> i64 {
        crate::domain::time::parse_datetime(local).unwrap() - JAKARTA_OFFSET_SECS
    }

    #[test]
    fn periods_follow_the_calendar_in_jakarta() {
        assert_eq!(jakarta(add_period(at("2026-11-23T10:00:00"), Billing::Monthly)), "2026-12-23T10:00:00");
        assert_eq!(jakarta(add_period(at("2026-12-15T00:30:00"), Billing::Monthly)), "2027-01-15T00:30:00");
        // The 31st renews on the last day of a shorter month, then keeps the 28th/30th.
        assert_eq!(jakarta(add_period(at("2027-01-31T09:00:00"), Billing::Monthly)), "2027-02-28T09:00:00");
        assert_eq!(jakarta(add_period(at("2028-01-31T09:00:00"), Billing::Monthly)), "2028-02-29T09:00:00");
        assert_eq!(jakarta(add_period(at("2028-02-29T09:00:00"), Billing::Yearly)), "2029-02-28T09:00:00");
        // 06:00 in Jakarta is 23:00 UTC the day before: the Jakarta date counts.
        assert_eq!(jakarta(add_period(at("2026-03-31T06:00:00"), Billing::Monthly)), "2026-04-30T06:00:00");
    }

    fn form() -> PlanForm {
        PlanForm {
            name: "Pro".into(),
            period: "monthly".into(),
            price_idr: "150.000".into(),
            features: "5 projects\n\n Priority support \n".into(),
            ..PlanForm::default()
        }
    }

    fn plan(period: Billing, price_idr: i64) -> Plan {
        Plan {
            id: 1,
            product_id: 1,
            name: "P".into(),
            period,
            price_idr,
            price_usd_cents: None,
            features: vec![],
            tool_quota: None,
            sort_order: 0,
            retired: false,
        }
    }

    #[test]
    fn only_a_dearer_plan_on_the_same_period_is_an_upgrade() {
        let pro = plan(Billing::Monthly, 300_000);
        assert_eq!(change_kind(&plan(Billing::Monthly, 150_000), &pro), ChangeKind::Upgrade);
        assert_eq!(change_kind(&pro, &plan(Billing::Monthly, 150_000)), ChangeKind::AtRenewal);
        assert_eq!(change_kind(&pro, &plan(Billing::Monthly, 300_000)), ChangeKind::AtRenewal);
        // Monthly to yearly (dearer per period) waits for the renewal too.
        assert_eq!(change_kind(&pro, &plan(Billing::Yearly, 3_000_000)), ChangeKind::AtRenewal);
    }

    #[test]
    fn an_upgrade_pays_the_difference_for_the_days_left_rounded_up_to_the_rupiah() {
        // A 30-day period (1 to 31 December), 10 days used: 20 of 30 days left.
        let start = at("2026-12-01T10:00:00");
        let end = add_period(start, Billing::Monthly);
        let now = at("2026-12-11T10:00:00");
        let p = Proration::at(start, end, now);
        assert_eq!((p.days_left, p.days_total), (21, 31));
        // 150,000 × 21 ÷ 31 = 101,612.9… → Rp 101,613.
        assert_eq!(p.of(150_000), 101_613);
        // An hour later the day under way still counts.
        assert_eq!(Proration::at(start, end, now + 3600).days_left, 21);
        // A second before the end: one day, never nothing; at the start: the whole period.
        assert_eq!(Proration::at(start, end, end - 1).days_left, 1);
        assert_eq!(Proration::at(start, end, start).of(150_000), 150_000);
        // An exact share is not rounded: 31 days of Rp 31 a day.
        assert_eq!(Proration::at(start, end, now).of(961), 651);
        assert_eq!(Proration::at(start, end, now).of(-5), 0);
    }

    #[test]
    fn a_paused_subscription_has_no_access() {
        assert!(!SubscriptionStatus::Paused.has_access());
        assert!(SubscriptionStatus::Cancelled.has_access());
    }

    #[test]
    fn a_plan_form_is_checked() {
        let plan = PlanInput::parse(&form()).unwrap();
        assert_eq!(plan.price_idr, 150_000);
        assert_eq!(plan.features, ["5 projects", "Priority support"]);
        assert_eq!(plan.tool_quota, None);
        let err = |f: PlanForm| PlanInput::parse(&f).unwrap_err().0;
        assert!(err(PlanForm { period: "one_time".into(), ..form() }).contains("monthly or yearly"));
        assert!(err(PlanForm { price_idr: "0".into(), ..form() }).contains("above Rp 0"));
        assert!(err(PlanForm { tool_quota: "-1".into(), ..form() }).contains("tool runs"));
        assert!(err(PlanForm { name: " ".into(), ..form() }).contains("Name the plan"));
        assert_eq!(PlanInput::parse(&PlanForm { tool_quota: "100".into(), ..form() }).unwrap().tool_quota, Some(100));
    }
}
