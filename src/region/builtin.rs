//! The profiles embedded in the binary.

/// `(id, TOML text)` of every built-in profile, in listing order.
const BUILTIN: &[(&str, &str)] = &[
    ("national-2022", include_str!("../../data/profiles/national-2022.toml")),
    ("national-2015", include_str!("../../data/profiles/national-2015.toml")),
    ("bayannur-2016", include_str!("../../data/profiles/bayannur-2016.toml")),
    ("baotou-jiuyuan-2020", include_str!("../../data/profiles/baotou-jiuyuan-2020.toml")),
    ("yangquan-2017", include_str!("../../data/profiles/yangquan-2017.toml")),
    ("wuzhong-2022", include_str!("../../data/profiles/wuzhong-2022.toml")),
    ("liupanshui-2021", include_str!("../../data/profiles/liupanshui-2021.toml")),
];

/// Ids of the built-in profiles, in listing order.
pub fn builtin_ids() -> Vec<&'static str> {
    BUILTIN.iter().map(|(id, _)| *id).collect()
}

/// The TOML text of a built-in profile.
pub fn builtin_source(id: &str) -> Option<&'static str> {
    BUILTIN.iter().find(|(i, _)| *i == id).map(|(_, s)| *s)
}
