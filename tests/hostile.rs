//! Hostile clients over real sockets: what a web page, a hostile file or a broken peer sends
//! must not read secrets, change state or exhaust the machine. Each test makes one attack,
//! then shows a normal request is still served and nothing changed that should not have.

mod support;

#[path = "hostile/admin.rs"]
mod admin;
#[path = "hostile/admin_clients.rs"]
mod admin_clients;
#[path = "hostile/admin_graphql.rs"]
mod admin_graphql;
#[path = "hostile/browser.rs"]
mod browser;
#[path = "hostile/browser_page.rs"]
mod browser_page;
