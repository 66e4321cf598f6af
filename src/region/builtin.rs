//! The profiles embedded in the binary.

/// `(id, TOML text)` of every built-in profile.
const BUILTIN: &[(&str, &str)] = &[("national-2022", include_str!("../../data/profiles/national-2022.toml"))];

/// Ids of the built-in profiles, in listing order.
pub fn builtin_ids() -> Vec<&'static str> {
    BUILTIN.iter().map(|(id, _)| *id).collect()
}

/// The TOML text of a built-in profile.
pub fn builtin_source(id: &str) -> Option<&'static str> {
    BUILTIN.iter().find(|(i, _)| *i == id).map(|(_, s)| *s)
}
