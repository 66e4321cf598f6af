//! The embedded chart font: a subset of Noto Sans CJK SC (SIL OFL 1.1, see
//! `assets/fonts/README.md`) with Latin and the Chinese characters of the chart
//! labels, registered with plotters so that PNG text never depends on system fonts.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef};
use plotters::style::FontStyle;

use crate::error::{Error, Result};

/// The font file, embedded.
pub const FONT: &[u8] = include_bytes!("../../assets/fonts/incomesim-cjk.otf");

/// The name `report.html` gives the embedded font in its `@font-face` rule.
pub const CSS_NAME: &str = "incomesim-cjk";

/// The font family list the charts use: the embedded font's CSS name first (found
/// inside `report.html`), then common CJK fonts for a standalone SVG, then any
/// sans-serif. Plotters renders PNG text with the embedded font under this name.
pub const FAMILY: &str = "incomesim-cjk, Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, PingFang SC, \
                          Microsoft YaHei, WenQuanYi Micro Hei, sans-serif";

/// Registers the embedded font with plotters under [`FAMILY`] and `sans-serif`
/// (normal and bold), once per process.
///
/// # Errors
/// [`Error::InvalidRequest`] if the embedded font cannot be parsed.
pub fn register() -> Result<()> {
    static DONE: OnceLock<bool> = OnceLock::new();
    let ok = *DONE.get_or_init(|| {
        [FAMILY, "sans-serif"].iter().all(|name| {
            [FontStyle::Normal, FontStyle::Bold]
                .into_iter()
                .all(|style| plotters::style::register_font(name, style, FONT).is_ok())
        })
    });
    if ok { Ok(()) } else { Err(Error::InvalidRequest("the embedded chart font could not be parsed".into())) }
}

/// The characters of `text` the embedded font has no glyph for (whitespace aside),
/// each once, in order of appearance. Chart labels must have none.
pub fn missing_glyphs(text: &str) -> Vec<char> {
    let Ok(font) = FontRef::try_from_slice(FONT) else {
        return text.chars().filter(|c| !c.is_whitespace()).collect();
    };
    let mut missing = Vec::new();
    for c in text.chars() {
        if !c.is_whitespace() && font.glyph_id(c).0 == 0 && !missing.contains(&c) {
            missing.push(c);
        }
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_font_has_latin_and_the_key_chinese_terms() {
        assert!(register().is_ok());
        assert_eq!(
            missing_glyphs("Urban-rural ratio 城乡收入比 人均可支配收入 城镇 农村 基尼系数 0-9 ±–"),
            Vec::<char>::new()
        );
        // A character no label uses is not in the subset.
        assert_eq!(missing_glyphs("龘"), vec!['龘']);
    }
}
