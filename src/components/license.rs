//! A license key's machines, as its owner (`/dashboard/licenses`) and staff (an
//! order's page) see them: the same columns, each page adding its own Deactivate form.

use crate::components::when;
use crate::components::Column;
use crate::domain::license::Activation;
use leptos::prelude::*;

/// The columns of a key's machines (the last one holds the page's action).
pub const MACHINE_COLUMNS: &[Column] = &[
    Column::text("Machine"),
    Column::text("Activated"),
    Column::text("Last seen"),
    Column::text("From network"),
    Column::text(""),
];

/// A machine's cells but the last: its name, when it was activated and last seen, its network.
pub fn machine_cells(a: &Activation) -> impl IntoView {
    let network = if a.last_network.is_empty() { "—".to_owned() } else { a.last_network.clone() };
    view! {
        <td>{a.label()}</td>
        <td>{when(a.created_at)}</td>
        <td><super::Ago at=a.last_seen_at/></td>
        <td>{network}</td>
    }
}
