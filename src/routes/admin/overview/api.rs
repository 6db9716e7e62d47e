//! Server functions: the overview and the audit log. Every one starts by requiring staff.

use crate::domain::audit::AuditEntry;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::web::guard;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    domain::Role,
    server::{
        db::{audit, contacts, DbError},
        state,
    },
};

/// The overview: what needs attention, the takings, and the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Overview {
    pub audit: Vec<AuditEntry>,
    pub unhandled_messages: i64,
    /// Each figure that waits for someone: (how many, what, where to see them).
    pub attention: Vec<(i64, String, String)>,
    /// Paid per period and currency: (period, IDR, USD, orders).
    pub takings: Vec<(String, String, String, i64)>,
}

#[server(prefix = "/api", endpoint = "admin/overview")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn admin_overview() -> Result<Overview, AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    use crate::domain::time::{jakarta_day, jakarta_month_start, DAY_SECS};
    use crate::domain::{Currency, Money};
    use crate::server::db::overview;
    let state = state()?;
    let now = state.clock.now();
    // Jakarta days (the rollup's), as day numbers.
    let today = jakarta_day(now);
    let first_of_month = jakarta_month_start(today);
    let first_of_last_month = jakarta_month_start(first_of_month - 1);
    let periods = [("Today", today, today), ("Yesterday", today - 1, today - 1), ("This month", first_of_month, today)];
    Ok(state
        .db
        .read(move |c| -> Result<_, DbError> {
            let w = overview::waiting(c, now, 7 * DAY_SECS, now - 7 * DAY_SECS, staff.id)?;
            let unhandled = contacts::unhandled_count(c)?;
            let attention = [
                (w.pending_orders, "orders waiting for payment", "/admin/orders?status=pending"),
                (w.failed_deliveries, "deliveries failed", "/admin/jobs"),
                (w.manual_deliveries, "deliveries for staff to make", "/admin/orders?status=paid"),
                (w.dead_jobs, "dead jobs", "/admin/jobs"),
                (w.overdue_invoices, "invoices overdue", "/admin/invoices"),
                (
                    w.subscriptions_ending,
                    "subscriptions ending within 7 days",
                    "/admin/subscriptions?status=active&within=7",
                ),
                (unhandled, "messages waiting for an answer", "/admin/contacts"),
                (
                    w.unread_client_messages,
                    if w.unread_client_messages >= overview::UNREAD_CAP {
                        "or more client messages you have not read"
                    } else {
                        "client messages you have not read"
                    },
                    "/admin/projects",
                ),
                (w.waitlist_signups, "waitlist sign-ups in the last 7 days", "/admin/waitlist"),
            ]
            .into_iter()
            .map(|(n, what, href)| (n, what.to_owned(), href.to_owned()))
            .collect();
            let mut takings = Vec::new();
            let mut paid_per_period = Vec::with_capacity(periods.len() + 1);
            for (label, from, until) in periods {
                paid_per_period.push((label, overview::paid_on_days(c, from, until)?));
            }
            // A whole month, from the monthly rollup.
            paid_per_period.push(("Last month", overview::paid_in_month(c, first_of_last_month)?));
            for (label, paid) in paid_per_period {
                let amount = |code: &str, currency: Currency| {
                    let minor = paid.iter().find(|(c, _, _)| c == code).map_or(0, |(_, _, sum)| *sum);
                    Money { minor, currency }.to_string()
                };
                let orders = paid.iter().map(|(_, n, _)| n).sum();
                takings.push((label.to_owned(), amount("IDR", Currency::Idr), amount("USD", Currency::Usd), orders));
            }
            Ok(Overview { audit: audit::recent(c, 10)?, unhandled_messages: unhandled, attention, takings })
        })
        .await?)
}

/// The whole audit trail, a page at a time.
#[server(prefix = "/api", endpoint = "admin/audit")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn admin_audit(
    #[server(default)] before: String,
    #[server(default)] after: String,
) -> Result<crate::domain::pagination::Page<AuditEntry>, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    let at = crate::domain::pagination::PageAt::parse(&before, &after)?;
    Ok(state()?.db.read(move |c| audit::page(c, at)).await?)
}
