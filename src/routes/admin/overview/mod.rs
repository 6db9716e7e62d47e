//! The overview and the audit log (their pages are in `admin`'s own module for now).

pub mod api;
