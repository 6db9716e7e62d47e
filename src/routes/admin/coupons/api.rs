//! Server functions: coupons. Every one starts by requiring staff.

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::web::guard;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    domain::Role,
    server::{
        db::{catalog, DbError},
        state,
    },
};

/// Every coupon, newest first, and the products one can be limited to.
#[server(prefix = "/api", endpoint = "admin/coupons")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn admin_coupons(
    #[server(default)] before: String,
    #[server(default)] after: String,
) -> Result<crate::domain::coupons::CouponList, AppError> {
    guard::require_role(Some(Role::Staff)).await?;
    let at = crate::domain::pagination::PageAt::parse(&before, &after)?;
    let list = state()?
        .db
        .read(move |c| -> Result<_, DbError> {
            let coupons = crate::server::db::coupons::page_for_staff(c, at)?;
            let products = catalog::all(c)?.into_iter().map(|p| (p.id, p.name)).collect();
            Ok(crate::domain::coupons::CouponList { coupons, products })
        })
        .await?;
    Ok(list)
}

/// Creates a coupon (codes are unique, in capitals); audited.
#[server(prefix = "/api", endpoint = "admin/create_coupon")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, err(level = "info")))]
pub async fn create_coupon(form: crate::domain::coupons::CouponForm) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let input = crate::domain::coupons::CouponInput::parse(&form)?;
    let code = input.code.clone();
    state()?
        .db
        .run(move |c| -> Result<Result<(), AppError>, DbError> {
            if let Some(product) = input.product_id {
                if catalog::by_id(c, product)?.is_none() {
                    return Ok(Err(AppError::validation("Choose a product from the list.")));
                }
            }
            Ok(match crate::server::db::coupons::create(c, staff.id, &input)? {
                Some(_) => Ok(()),
                None => {
                    Err(AppError::validation(format!("There is a coupon {} already: choose another code.", input.code)))
                }
            })
        })
        .await??;
    leptos_axum::redirect(&format!("/admin/coupons?created={code}"));
    Ok(())
}

/// Turns a coupon off or on again; orders already priced with it keep their price.
#[server(prefix = "/api", endpoint = "admin/set_coupon_disabled")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(id, disabled), err(level = "info")))]
pub async fn set_coupon_disabled(id: i64, disabled: bool) -> Result<(), AppError> {
    let staff = guard::require_role(Some(Role::Staff)).await?;
    let found = state()?.db.run(move |c| crate::server::db::coupons::set_disabled(c, staff.id, id, disabled)).await?;
    if !found {
        return Err(AppError::NotFound);
    }
    leptos_axum::redirect("/admin/coupons");
    Ok(())
}
