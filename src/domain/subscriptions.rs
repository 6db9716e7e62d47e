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
    }
);

impl SubscriptionStatus {
    /// Whether what the subscription's delivery gives (web, GitHub, license) still holds.
    pub fn has_access(self) -> bool {
        !matches!(self, Self::Expired)
    }
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

impl PlanInput {
    pub fn parse(form: &PlanForm) -> Result<Self, ValidationError> {
        let name = form.name.trim();
        if name.is_empty() || name.chars().count() > 60 {
            return Err(ValidationError::new("Name the plan in at most 60 characters, like Starter or Pro."));
        }
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
        let features: Vec<String> =
            form.features.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
        if features.len() > 12 || features.iter().any(|f| f.chars().count() > 120) {
            return Err(ValidationError::new("List at most 12 features, one per line, each under 120 characters."));
        }
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
        Ok(Self { name: name.to_owned(), period, price_idr, price_usd_cents, features, tool_quota, sort_order })
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
    /// What happened, oldest first: (when, what).
    pub history: Vec<(i64, String)>,
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
