//! Products and their plans (their pages are in `admin`'s own module for now).

pub mod api;
