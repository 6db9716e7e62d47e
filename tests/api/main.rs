//! Black-box tests: each starts the real application on a free port over a
//! fresh temporary SQLite file and talks to it over HTTP.

mod helpers;
mod smtp;

mod access;
mod accounts;
mod admin;
mod analytics;
mod api_v1;
mod billing;
mod clients;
mod content;
mod content_languages;
mod coupons;
mod delivery;
mod forms;
mod fuzz;
mod github;
mod google;
mod i18n;
mod ipaymu;
mod jobs;
mod lists;
mod notify;
mod order_actions;
mod payments;
mod product_files;
mod projects;
mod receipts;
mod rendering;
mod security;
mod settings;
mod signed_licenses;
mod site_languages;
mod subscriptions;
mod tools;
mod users;
mod waitlist_launch;
mod webhooks;
mod work;

mod config;
mod foundation;
