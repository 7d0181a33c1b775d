//! What a merchant may attach to a response: PDF, JPEG or PNG recognised by their content (not
//! their name or declared type), at most 10 MB each and 20 per case, stored under a sanitised
//! name.

/// Largest accepted file.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// Most files on one case.
pub const MAX_PER_CASE: usize = 20;

/// The accepted document types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    Pdf,
    Jpeg,
    Png,
}

impl DocumentKind {
    pub fn mime(self) -> &'static str {
        match self {
            DocumentKind::Pdf => "application/pdf",
            DocumentKind::Jpeg => "image/jpeg",
            DocumentKind::Png => "image/png",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            DocumentKind::Pdf => "pdf",
            DocumentKind::Jpeg => "jpg",
            DocumentKind::Png => "png",
        }
    }
}

/// Why a file was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadProblem {
    Empty,
    TooLarge,
    WrongType,
    TooMany,
}

/// Checks a file's content and size, given how many files the case already has.
pub fn check(content: &[u8], already_attached: usize) -> Result<DocumentKind, UploadProblem> {
    if already_attached >= MAX_PER_CASE {
        return Err(UploadProblem::TooMany);
    }
    if content.is_empty() {
        return Err(UploadProblem::Empty);
    }
    if content.len() > MAX_BYTES {
        return Err(UploadProblem::TooLarge);
    }
    match infer::get(content).map(|kind| kind.mime_type()) {
        Some("application/pdf") => Ok(DocumentKind::Pdf),
        Some("image/jpeg") => Ok(DocumentKind::Jpeg),
        Some("image/png") => Ok(DocumentKind::Png),
        _ => Err(UploadProblem::WrongType),
    }
}

/// A name safe to show and to use in a download header: no path, no control or reserved
/// characters, at most 100 characters, ending with the extension of what the content is.
pub fn safe_name(original: &str, kind: DocumentKind) -> String {
    let base = original.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned = sanitize_filename::sanitize(base);
    let stem = cleaned.rsplit_once('.').map(|(stem, _)| stem).unwrap_or(&cleaned);
    let stem: String = stem.chars().filter(|c| !c.is_control() && *c != '"').take(100).collect();
    let stem = stem.trim().trim_start_matches('.');
    let stem = if stem.is_empty() { "document" } else { stem };
    format!("{stem}.{}", kind.extension())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PDF: &[u8] = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n";
    const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, b'I', b'H', b'D', b'R'];
    const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0];

    #[test]
    fn the_content_decides_the_type() {
        assert_eq!(check(PDF, 0), Ok(DocumentKind::Pdf));
        assert_eq!(check(PNG, 0), Ok(DocumentKind::Png));
        assert_eq!(check(JPEG, 0), Ok(DocumentKind::Jpeg));
        assert_eq!(check(b"MZ\x90\x00 an executable", 0), Err(UploadProblem::WrongType));
        assert_eq!(check(b"<html><script>", 0), Err(UploadProblem::WrongType));
        assert_eq!(check(b"", 0), Err(UploadProblem::Empty));
    }

    #[test]
    fn size_and_count_are_limited() {
        let mut big = PDF.to_vec();
        big.resize(MAX_BYTES, b' ');
        assert_eq!(check(&big, 0), Ok(DocumentKind::Pdf));
        big.push(b' ');
        assert_eq!(check(&big, 0), Err(UploadProblem::TooLarge));
        assert_eq!(check(PDF, MAX_PER_CASE - 1), Ok(DocumentKind::Pdf));
        assert_eq!(check(PDF, MAX_PER_CASE), Err(UploadProblem::TooMany));
    }

    #[test]
    fn names_are_sanitised_and_follow_the_content() {
        assert_eq!(safe_name("facture mars.pdf", DocumentKind::Pdf), "facture mars.pdf");
        assert_eq!(safe_name("../../etc/passwd", DocumentKind::Pdf), "passwd.pdf");
        assert_eq!(safe_name("C:\\Users\\x\\reçu.exe", DocumentKind::Png), "reçu.png");
        assert_eq!(safe_name("a\"b<c>.jpg", DocumentKind::Jpeg), "abc.jpg");
        assert_eq!(safe_name("", DocumentKind::Pdf), "document.pdf");
        assert_eq!(safe_name("...", DocumentKind::Pdf), "document.pdf");
        assert_eq!(safe_name(&"x".repeat(300), DocumentKind::Pdf).len(), 104);
    }
}
