//! A statement as a PDF (lopdf): A4 pages in Helvetica, black on white so it prints well, the
//! establishment's details and the month's totals at the top, then the lines with their amounts
//! right-aligned; as many pages as the lines need. Text uses the standard fonts' WinAnsi
//! encoding, which covers French (accents, €).

use super::statements::{line_label, Holder, Statement, StatementLine};
use crate::format;
use leptos_i18n::td_string;
use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Document, Object, Stream, StringFormat};

const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
const MARGIN: f32 = 50.0;
const LINE: f32 = 15.0;

/// `text` in Windows-1252 (WinAnsiEncoding); characters outside it become `?`, the narrow
/// no-break space a plain one.
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '€' => 0x80,
            '’' => 0x92,
            '—' => 0x97,
            '–' => 0x96,
            '\u{202f}' => b' ',
            c if (c as u32) < 0x80 || (0xa0..=0xff).contains(&(c as u32)) => c as u32 as u8,
            _ => b'?',
        })
        .collect()
}

/// Helvetica's width of `text` at `size` (digits and the few signs of an amount; others at an
/// average width).
fn width(text: &str, size: f32) -> f32 {
    let units: u32 = text
        .chars()
        .map(|c| match c {
            '0'..='9' | '€' => 556,
            ',' | '.' | ' ' | '\u{a0}' | '\u{202f}' => 278,
            '-' => 333,
            _ => 556,
        })
        .sum();
    units as f32 * size / 1000.0
}

/// One page's drawing operations.
struct Page {
    operations: Vec<Operation>,
    y: f32,
}

impl Page {
    fn new() -> Page {
        Page { operations: Vec::new(), y: HEIGHT - MARGIN }
    }

    fn text(&mut self, x: f32, font: &str, size: f32, text: &str) {
        self.operations.extend([
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec![font.into(), size.into()]),
            Operation::new("Td", vec![x.into(), self.y.into()]),
            Operation::new("Tj", vec![Object::String(win_ansi(text), StringFormat::Literal)]),
            Operation::new("ET", vec![]),
        ]);
    }

    fn right(&mut self, right_edge: f32, font: &str, size: f32, text: &str) {
        self.text(right_edge - width(text, size), font, size, text);
    }

    fn rule(&mut self) {
        let y = self.y + LINE - 4.0;
        self.operations.extend([
            Operation::new("w", vec![0.5.into()]),
            Operation::new("m", vec![MARGIN.into(), y.into()]),
            Operation::new("l", vec![(WIDTH - MARGIN).into(), y.into()]),
            Operation::new("S", vec![]),
        ]);
    }
}

/// The statement as PDF bytes, in `language`.
pub fn statement(holder: &Holder, statement: &Statement, lines: &[StatementLine], language: &str) -> Vec<u8> {
    let locale = format::locale(language);
    let amount = |minor: i64| format::amount(minor, &statement.currency, language);
    let right = WIDTH - MARGIN;
    let mut pages = vec![Page::new()];
    let page = pages.last_mut().expect("a first page");
    page.text(MARGIN, "F2", 16.0, &format!("{} {}", td_string!(locale, statement_pdf_title), statement.month));
    page.y -= LINE * 2.0;
    page.text(MARGIN, "F2", 11.0, &holder.trading_name);
    page.y -= LINE;
    page.text(MARGIN, "F1", 10.0, &format!("{} {}", td_string!(locale, statement_pdf_establishment), holder.number));
    for part in [holder.address_line.clone(), format!("{} {}", holder.postcode, holder.city)] {
        if !part.trim().is_empty() {
            page.y -= LINE;
            page.text(MARGIN, "F1", 10.0, part.trim());
        }
    }
    page.y -= LINE;
    let pricing =
        if holder.pricing == "gross" { td_string!(locale, pricing_gross) } else { td_string!(locale, pricing_net) };
    page.text(MARGIN, "F1", 10.0, pricing);
    page.y -= LINE * 2.0;
    for (label, value) in [
        (td_string!(locale, col_submission_amount), statement.total_submissions),
        (td_string!(locale, col_fees), -statement.total_fees),
        (td_string!(locale, col_adjustments), statement.total_adjustments),
        (td_string!(locale, statement_total_paid), statement.total_paid),
    ] {
        page.text(MARGIN, "F1", 10.0, label);
        page.right(right, "F1", 10.0, &amount(value));
        page.y -= LINE;
    }
    page.y -= LINE;
    let header = |page: &mut Page| {
        page.text(MARGIN, "F2", 10.0, td_string!(locale, col_date));
        page.text(MARGIN + 80.0, "F2", 10.0, td_string!(locale, col_label));
        page.right(right, "F2", 10.0, td_string!(locale, col_amount));
        page.y -= LINE;
        page.rule();
    };
    header(page);
    for line in lines {
        if pages.last().expect("a page").y < MARGIN + LINE {
            let mut next = Page::new();
            header(&mut next);
            pages.push(next);
        }
        let page = pages.last_mut().expect("a page");
        page.text(MARGIN, "F1", 10.0, &line.date);
        let label: String = line_label(line, locale).chars().take(70).collect();
        page.text(MARGIN + 80.0, "F1", 10.0, &label);
        page.right(right, "F1", 10.0, &amount(line.amount));
        page.y -= LINE;
    }
    render(pages)
}

/// The pages in one document.
fn render(pages: Vec<Page>) -> Vec<u8> {
    let mut document = Document::with_version("1.7");
    let pages_id = document.new_object_id();
    let font = |document: &mut Document, name: &str| {
        document.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type1",
            "BaseFont" => name,
            "Encoding" => "WinAnsiEncoding",
        })
    };
    let regular = font(&mut document, "Helvetica");
    let bold = font(&mut document, "Helvetica-Bold");
    let resources = document.add_object(dictionary! { "Font" => dictionary! { "F1" => regular, "F2" => bold } });
    let mut kids = Vec::new();
    for page in pages {
        let content = Content { operations: page.operations }.encode().expect("drawing operations encode");
        let content_id = document.add_object(Stream::new(dictionary! {}, content));
        kids.push(Object::Reference(document.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
        })));
    }
    let count = kids.len() as i64;
    document.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => count,
            "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), WIDTH.into(), HEIGHT.into()],
        }),
    );
    let catalog = document.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    document.trailer.set("Root", catalog);
    document.compress();
    let mut bytes = Vec::new();
    document.save_to(&mut bytes).expect("a PDF written to memory");
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_text_is_written_in_win_ansi() {
        assert_eq!(win_ansi("Relevé 1\u{202f}234,56\u{a0}€"), b"Relev\xe9 1 234,56\xa0\x80".to_vec());
        assert_eq!(win_ansi("日"), b"?".to_vec());
    }

    #[test]
    fn a_statements_text_reads_the_same_every_time() {
        let holder = Holder {
            number: "9421000045".into(),
            trading_name: "Hôtel Rivage Nice".into(),
            address_line: "12 promenade des Anglais".into(),
            postcode: "06000".into(),
            city: "Nice".into(),
            pricing: "gross".into(),
        };
        let totals = Statement {
            month: "2026-06".into(),
            currency: "EUR".into(),
            total_submissions: 1_250_000,
            total_fees: 31_250,
            total_adjustments: -4_500,
            total_paid: 1_214_250,
        };
        // The stored labels are French (the seed's); the PDF labels each line by its kind instead.
        let line = |date: &str, kind: &str, label: &str, amount: i64, payment: Option<&str>| StatementLine {
            date: date.into(),
            kind: kind.into(),
            label: label.into(),
            amount,
            payment: payment.map(Into::into),
        };
        let lines = vec![
            line("2026-06-01", "commission", "Commission annuelle", -31_250, None),
            line("2026-06-03", "payment", "Règlement PAY-000000123", 1_250_000, Some("PAY-000000123")),
            line(
                "2026-06-03",
                "adjustment",
                "Régularisations du règlement PAY-000000123",
                -4_500,
                Some("PAY-000000123"),
            ),
        ];
        for language in ["fr", "en"] {
            let bytes = statement(&holder, &totals, &lines, language);
            let document = Document::load_mem(&bytes).unwrap();
            let text = document.extract_text(&[1]).unwrap();
            if language == "en" {
                assert!(!text.contains("Règlement") && !text.contains("Commission annuelle"), "{text}");
                assert!(text.contains("Payment PAY-000000123") && text.contains("Annual commission"), "{text}");
            }
            insta::assert_snapshot!(format!("statement_text_{language}"), text);
        }
    }

    #[test]
    fn long_statements_take_several_pages() {
        let holder = Holder {
            number: "9421000010".into(),
            trading_name: "Café de l'Opéra".into(),
            address_line: "1 place de l'Opéra".into(),
            postcode: "75009".into(),
            city: "Paris".into(),
            pricing: "net".into(),
        };
        let totals = Statement {
            month: "2026-10".into(),
            currency: "EUR".into(),
            total_submissions: 0,
            total_fees: 0,
            total_adjustments: 0,
            total_paid: 0,
        };
        let line = StatementLine {
            date: "2026-10-01".into(),
            kind: "payment".into(),
            label: "Règlement".into(),
            amount: 100,
            payment: None,
        };
        let bytes = statement(&holder, &totals, &vec![line; 120], "fr");
        let document = Document::load_mem(&bytes).unwrap();
        assert_eq!(document.get_pages().len(), 3);
        assert!(bytes.starts_with(b"%PDF-1.7"));
    }
}
