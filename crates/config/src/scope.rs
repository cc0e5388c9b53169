//! Whose configuration a DSN or a driver registration belongs to.

/// The user's (a user DSN, `~/.odbc.ini`, `HKEY_CURRENT_USER`) or the whole system's (a system
/// DSN, `/etc/odbc.ini`, `HKEY_LOCAL_MACHINE`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    User,
    System,
}

impl Scope {
    /// "user" or "system", as messages say it.
    pub fn name(self) -> &'static str {
        match self {
            Scope::User => "user",
            Scope::System => "system",
        }
    }
}
