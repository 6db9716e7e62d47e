//! Orders: the list, one order, and what staff can do for it (their pages are in `admin`'s own module for now).

pub mod api;
