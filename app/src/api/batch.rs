//! The offline capture file: a gateway sends the captures of accepted authorisations as one CSV
//! file (`POST /api/v1/capture-files`, `Content-Type: text/csv`) and gets back a result file
//! naming every line accepted or refused, with the reason.
//!
//! The layout (comma-separated, UTF-8, one header line, at most [`MAX_LINES`] lines):
//!
//! ```text
//! establishment_number,parent_operation_id,amount,merchant_reference,settlement_amount,settlement_rate
//! 9421000011,1042,12500,ORDER-1042,,
//! ```
//!
//! `parent_operation_id` is the authorisation's operation id; `amount` (minor units) may be
//! empty for the whole authorisation; the settlement columns are needed only when the
//! authorisation's currency is not the establishment's. Each line is a capture as
//! `POST /api/v1/operations` would make it, with the same checks (known authorisation of an
//! establishment the key reaches, amount within it, not already captured, not cancelled).
//!
//! The whole file is applied in one write transaction with its `Idempotency-Key`: it is applied
//! entirely or not at all, and sent again it answers the first result file. Sent again under
//! another key, nothing is applied twice: every line is then refused as `already-captured`.

use super::keys::{ApiCaller, Scope};
use super::operations::{self, capture_in, establishment_for_key, Replied};
use super::problem::{Fault, Problem};
use super::rules::{Settlement, MAX_AMOUNT};
use super::store::establishments::EstablishmentRow;
use super::store::operations as store;
use crate::db::{Db, Write};
use leptos_i18n::td_string;
use std::collections::HashMap;

/// The most lines a file may hold.
pub const MAX_LINES: usize = 50_000;
/// The columns, in order.
pub const HEADER: [&str; 6] = [
    "establishment_number",
    "parent_operation_id",
    "amount",
    "merchant_reference",
    "settlement_amount",
    "settlement_rate",
];

/// A line of the file, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaptureLine {
    /// Its line number in the file (the header is line 1).
    pub line: usize,
    pub establishment_number: String,
    pub authorisation: i64,
    pub amount: Option<i64>,
    pub merchant_reference: String,
    pub settlement: Option<Settlement>,
}

/// What became of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Captured: the capture's operation id and amount.
    Accepted { operation: i64, amount: i64 },
    /// Refused: the fault's code and the column at fault.
    Refused { reason: &'static str, column: String },
}

/// A line that could be read, or the refusal of one that could not.
pub type Read = Result<CaptureLine, (usize, Outcome)>;

fn refused(line: usize, fault: Fault, column: &str) -> (usize, Outcome) {
    (line, Outcome::Refused { reason: fault.code(), column: column.to_owned() })
}

/// Reads the file: its header must be [`HEADER`]; each line is read or refused on its own. A
/// file refused whole says why in `language`.
pub fn read_file(body: &[u8], language: &str) -> Result<Vec<Read>, Problem> {
    let locale = crate::format::locale(language);
    let malformed = |detail: String| Problem { detail: Some(detail), ..Problem::at(Fault::MalformedBody, "file") };
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(true).trim(csv::Trim::All).from_reader(body);
    let header = reader.headers().map_err(|_| malformed(td_string!(locale, api_file_not_csv).to_owned()))?.clone();
    if header.iter().collect::<Vec<_>>() != HEADER {
        let header = HEADER.join(",");
        return Err(malformed(crate::format::fill(td_string!(locale, api_file_header), &[("header", &header)])));
    }
    let mut lines = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        if lines.len() == MAX_LINES {
            let most = MAX_LINES.to_string();
            return Err(malformed(crate::format::fill(td_string!(locale, api_file_too_long), &[("lines", &most)])));
        }
        lines.push(match record {
            Ok(record) if record.len() == HEADER.len() => read_line(line, &record),
            _ => Err(refused(line, Fault::Invalid, "line")),
        });
    }
    if lines.is_empty() {
        return Err(malformed(td_string!(locale, api_file_empty).to_owned()));
    }
    Ok(lines)
}

fn read_line(line: usize, record: &csv::StringRecord) -> Read {
    let field = |index: usize| record.get(index).unwrap_or_default();
    let number = field(0);
    if number.len() != 10 || !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(refused(line, Fault::Invalid, HEADER[0]));
    }
    let authorisation =
        field(1).parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(|| refused(line, Fault::Invalid, HEADER[1]))?;
    let amount = match field(2) {
        "" => None,
        text => Some(
            text.parse::<i64>()
                .ok()
                .filter(|a| (1..=MAX_AMOUNT).contains(a))
                .ok_or_else(|| refused(line, Fault::Invalid, HEADER[2]))?,
        ),
    };
    let reference = field(3);
    if reference.chars().count() > 64 || reference.chars().any(char::is_control) {
        return Err(refused(line, Fault::Invalid, HEADER[3]));
    }
    let settlement = match (field(4), field(5)) {
        ("", "") => None,
        (amount, rate) => {
            let amount = amount.parse::<i64>().ok().filter(|a| (0..=MAX_AMOUNT).contains(a));
            let rate_ok = !rate.is_empty()
                && rate.parse::<f64>().is_ok_and(|r| r > 0.0)
                && rate.bytes().all(|b| b.is_ascii_digit() || b == b'.');
            match (amount, rate_ok) {
                (Some(amount), true) => Some(Settlement { amount, rate: rate.to_owned() }),
                (None, _) => return Err(refused(line, Fault::Invalid, HEADER[4])),
                (_, false) => return Err(refused(line, Fault::Invalid, HEADER[5])),
            }
        }
    };
    Ok(CaptureLine {
        line,
        establishment_number: number.to_owned(),
        authorisation,
        amount,
        merchant_reference: reference.to_owned(),
        settlement,
    })
}

/// The result file: one line per line of the file, in its order.
pub fn result_file(outcomes: &[(usize, Outcome)]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(["line", "result", "operation_id", "amount", "reason", "column"]);
    for (line, outcome) in outcomes {
        let line = line.to_string();
        let _ = match outcome {
            Outcome::Accepted { operation, amount } => {
                writer.write_record([line.as_str(), "accepted", &operation.to_string(), &amount.to_string(), "", ""])
            }
            Outcome::Refused { reason, column } => {
                writer.write_record([line.as_str(), "refused", "", "", reason, column])
            }
        };
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// `POST /api/v1/capture-files`: the file applied, its result file first or replayed.
pub async fn send_file(db: &Db, caller: &ApiCaller, idempotency_key: &str, body: &[u8]) -> Result<Replied, Problem> {
    caller.key.require(Scope::Send)?;
    let lines = read_file(body, caller.language)?;
    // The establishments named, each checked against the key once, before the transaction.
    let mut establishments: HashMap<String, Option<EstablishmentRow>> = HashMap::new();
    for line in lines.iter().flatten() {
        if !establishments.contains_key(&line.establishment_number) {
            let found = match establishment_for_key(db, caller, &line.establishment_number, HEADER[0]).await {
                Ok(establishment) => Some(establishment),
                Err(problem) if problem.fault == Fault::NotFound => None,
                Err(problem) => return Err(problem),
            };
            establishments.insert(line.establishment_number.clone(), found);
        }
    }
    operations::idempotent(db, caller, idempotency_key, body, |mut write| async move {
        let mut outcomes = Vec::with_capacity(lines.len());
        for line in lines {
            outcomes.push(match line {
                Err(refusal) => refusal,
                Ok(line) => {
                    let establishment = establishments.get(&line.establishment_number).cloned().flatten();
                    (line.line, apply_line(&mut write, caller, establishment.as_ref(), &line).await?)
                }
            });
        }
        Ok((write, Ok((200, result_file(&outcomes)))))
    })
    .await
}

/// Applies one line; only an internal error stops the file (and rolls it all back).
async fn apply_line(
    write: &mut Write,
    caller: &ApiCaller,
    establishment: Option<&EstablishmentRow>,
    line: &CaptureLine,
) -> Result<Outcome, Problem> {
    let Some(establishment) = establishment else {
        return Ok(Outcome::Refused { reason: Fault::NotFound.code(), column: HEADER[0].to_owned() });
    };
    let parent =
        store::operation_in(write, line.authorisation).await?.filter(|p| p.establishment_id == establishment.id);
    let Some(parent) = parent else {
        return Ok(Outcome::Refused { reason: Fault::NotFound.code(), column: HEADER[1].to_owned() });
    };
    let captured = capture_in(
        write,
        caller,
        establishment,
        &parent,
        line.amount,
        &line.merchant_reference,
        line.settlement.clone(),
    )
    .await;
    match captured {
        Ok((operation, amount)) => Ok(Outcome::Accepted { operation, amount }),
        Err(problem) if problem.fault == Fault::Internal => Err(problem),
        Err(problem) => {
            Ok(Outcome::Refused { reason: problem.fault.code(), column: column_of(problem.field.as_deref()) })
        }
    }
}

/// The file's column a refusal's API field stands for.
fn column_of(field: Option<&str>) -> String {
    match field {
        Some("amount") => HEADER[2],
        Some("settlement") => HEADER[4],
        _ => HEADER[1],
    }
    .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str =
        "establishment_number,parent_operation_id,amount,merchant_reference,settlement_amount,settlement_rate\n";

    #[test]
    fn each_line_is_read_or_refused_on_its_own() {
        let file = format!(
            "{HEAD}9421000011,12,500,R-1,,\n9421000011,x,500,R-2,,\n942100001,12,,R-3,,\n9421000011,13,,,,\n\
             9421000011,14,100,R-5,90,1.1\n9421000011,15,100,R-6,90,\n9421000011,16\n"
        );
        let lines = read_file(file.as_bytes(), "en").unwrap();
        assert_eq!(lines.len(), 7);
        assert_eq!(lines[0].as_ref().unwrap().amount, Some(500));
        assert_eq!(lines[1], Err(refused(3, Fault::Invalid, "parent_operation_id")));
        assert_eq!(lines[2], Err(refused(4, Fault::Invalid, "establishment_number")));
        assert_eq!(lines[3].as_ref().unwrap().amount, None);
        assert_eq!(lines[4].as_ref().unwrap().settlement, Some(Settlement { amount: 90, rate: "1.1".into() }));
        assert_eq!(lines[5], Err(refused(7, Fault::Invalid, "settlement_rate")));
        assert_eq!(lines[6], Err(refused(8, Fault::Invalid, "line")));
    }

    #[test]
    fn a_file_without_its_header_or_lines_is_refused_whole() {
        assert_eq!(read_file(b"9421000011,12,500,R-1,,\n", "fr").unwrap_err().fault, Fault::MalformedBody);
        assert_eq!(read_file(HEAD.as_bytes(), "en").unwrap_err().fault, Fault::MalformedBody);
        assert_eq!(read_file(&[0xff, 0xfe, 0x00], "en").unwrap_err().fault, Fault::MalformedBody);
    }

    #[test]
    fn the_result_file_names_every_line() {
        let file = result_file(&[
            (2, Outcome::Accepted { operation: 7, amount: 500 }),
            (3, Outcome::Refused { reason: "already-captured", column: "parent_operation_id".into() }),
        ]);
        assert_eq!(
            file,
            "line,result,operation_id,amount,reason,column\n2,accepted,7,500,,\n3,refused,,,already-captured,parent_operation_id\n"
        );
    }
}
