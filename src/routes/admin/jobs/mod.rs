//! The job queue (their pages are in `admin`'s own module for now).

pub mod api;
