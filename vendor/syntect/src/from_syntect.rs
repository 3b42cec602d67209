//! Values of crates.io's syntect 5.3 as this crate's (added for steppe; see STEPPE.md).
//!
//! Other crates (two-face's syntax and theme sets) hand out values of the published syntect,
//! whose types are another crate's than these. Both crates are syntect 5.3.0 with the same
//! serde layout, so a value crosses over as its bincode bytes, the format syntect's dumps are
//! in. The functions are not generic so that they are compiled, optimised, here.

use crate::highlighting::Theme;
use crate::parsing::SyntaxSet;

/// `set` as this crate's [`SyntaxSet`]. Each syntax's contexts stay serialized, as they were.
pub fn syntax_set(set: &syntect::parsing::SyntaxSet) -> SyntaxSet {
    carried(set)
}

/// `theme` as this crate's [`Theme`].
pub fn theme(theme: &syntect::highlighting::Theme) -> Theme {
    carried(theme)
}

fn carried<From: serde::Serialize, To: serde::de::DeserializeOwned>(value: &From) -> To {
    let bytes = bincode::serialize(value).expect("syntect values serialize");
    bincode::deserialize(&bytes).expect("this crate reads what syntect 5.3 writes")
}
