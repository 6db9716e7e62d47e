//! Server functions: the contact inbox. Every one starts by requiring staff.

use crate::domain::contact::ContactMessage;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::web::guard;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    domain::Role,
    server::{db::contacts, state},
};

#[server(prefix = "/api", endpoint = "admin/contacts")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(handled = ?handled), err(level = "info")))]
pub async fn admin_contacts(
    #[server(default)] handled: bool,
    #[server(default)] before: String,
    #[server(default)] after: String,
) -> Result<crate::domain::pagination::Page<ContactMessage>, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    let at = crate::domain::pagination::PageAt::parse(&before, &after)?;
    Ok(state()?.db.read(move |c| contacts::page(c, handled, at)).await?)
}

#[server(prefix = "/api", endpoint = "admin/set_contact_handled")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id = ?id, handled = ?handled), err(level = "info")))]
pub async fn set_contact_handled(id: i64, handled: bool) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let actor = staff.id;
    if !state()?.db.run(move |c| contacts::set_handled(c, id, handled, actor)).await? {
        return Err(AppError::NotFound);
    }
    leptos_axum::redirect(if handled { "/admin/contacts?done=1" } else { "/admin/contacts?handled=true&reopened=1" });
    Ok(())
}
