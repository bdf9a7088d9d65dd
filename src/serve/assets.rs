//! The explorer's static files, built into the binary: nothing is loaded
//! from another site, so the explorer works offline.

const STYLE: &str = include_str!("assets/style.css");
const APP: &str = include_str!("assets/app.js");

/// (content type, text) of an asset path.
pub fn get(path: &str) -> Option<(&'static str, &'static str)> {
    match path {
        "/assets/style.css" => Some(("text/css; charset=utf-8", STYLE)),
        "/assets/app.js" => Some(("text/javascript; charset=utf-8", APP)),
        _ => None,
    }
}
