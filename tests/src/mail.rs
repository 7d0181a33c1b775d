//! Reading the `.eml` files the server's file mailer writes: who they are for, their decoded
//! text, and the single-use links in them.

use std::path::Path;

/// Undoes quoted-printable encoding (soft line breaks and `=XX` bytes).
pub fn decode_quoted_printable(text: &str) -> String {
    let joined = text.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'=' && index + 2 < bytes.len() {
            if let Some(byte) =
                std::str::from_utf8(&bytes[index + 1..index + 3]).ok().and_then(|hex| u8::from_str_radix(hex, 16).ok())
            {
                out.push(byte);
                index += 3;
                continue;
            }
        }
        out.push(bytes[index]);
        index += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Every email in `folder` addressed to `to`, decoded, oldest first.
pub fn emails_to(folder: &Path, to: &str) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut found: Vec<(std::time::SystemTime, String)> = entries
        .filter_map(Result::ok)
        .filter(|entry| entry.path().extension().is_some_and(|extension| extension == "eml"))
        .filter_map(|entry| {
            let modified = entry.metadata().ok()?.modified().ok()?;
            let content = decode_quoted_printable(&std::fs::read_to_string(entry.path()).ok()?);
            let addressed = content.lines().any(|line| line.starts_with("To: ") && line.contains(to));
            addressed.then_some((modified, content))
        })
        .collect();
    found.sort_by_key(|(modified, _)| *modified);
    found.into_iter().map(|(_, content)| content).collect()
}

/// The `path?token=<64 hex>` link in an email, as a path and query.
pub fn link(email: &str, path: &str) -> String {
    let marker = format!("{path}?token=");
    let start = email.find(&marker).unwrap_or_else(|| panic!("no {marker} link in:\n{email}"));
    let token: String = email[start + marker.len()..].chars().take_while(char::is_ascii_hexdigit).collect();
    assert_eq!(token.len(), 64, "a full token in:\n{email}");
    format!("{marker}{token}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_printable_is_decoded() {
        assert_eq!(decode_quoted_printable("caf=C3=A9 a=3Db=\r\nc"), "café a=bc");
    }
}
