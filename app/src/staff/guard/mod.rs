//! The locks on the staff side, applied structurally: every staff route is declared
//! through [`StaffRoutes`] with the least role it needs, and the whole staff router sits
//! behind the session check ([`session`]) and the CSRF check ([`csrf`]). A route cannot
//! be added without a role.
//!
//! - [`routes`]: the route table and the role check of each route;
//! - [`session`]: the logged-in staff member, found from the session cookie;
//! - [`csrf`]: every state change carries the session's token;
//! - [`origin`]: requests and redirect targets from this site only.

mod csrf;
mod origin;
mod routes;
mod session;

pub(crate) use origin::{check_origin, local_path, same_origin};
pub use routes::{StaffRoute, StaffRoutes};
pub use session::CurrentUser;
pub(crate) use session::{current_user, set_session_cookie};
