//! The gateway API against its own OpenAPI document: schemathesis (from PyPI, installed by
//! `scripts/tools.sh` into the tools' Python) generates requests from the document, valid and
//! not, sends them to a running portal with a demo gateway key and checks every answer: no 5xx,
//! a documented status, content type and headers, a body that matches its schema. Ignored by
//! default (it needs schemathesis); `scripts/test.sh` runs it with the browser and process tests.
//! Bounded: a few dozen examples per endpoint, and the run is killed after three minutes.

use portal_tests::spawn_app_with_demo_today;
use std::time::Duration;

/// The checks the issue asks for: no server error, and every answer as documented.
const CHECKS: &str =
    "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs schemathesis (scripts/tools.sh); scripts/test.sh runs it"]
async fn schemathesis_finds_no_server_error_and_no_answer_outside_the_document() {
    let schemathesis = std::env::var("SCHEMATHESIS")
        .expect("SCHEMATHESIS names the schemathesis command (`source scripts/tools.sh` sets it)");
    let app = spawn_app_with_demo_today().await;
    let key = super::api::gateway_key(&app).await;
    let run = tokio::process::Command::new(&schemathesis)
        .args(["run", &app.url("/api/v1/openapi.json"), "--url", &app.url("")])
        .args(["--header", &format!("Authorization: Bearer {key}")])
        .args(["--checks", CHECKS, "--max-examples", "40", "--seed", "1", "--no-color"])
        .env("SCHEMATHESIS_HOOKS", "")
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(180), run)
        .await
        .expect("schemathesis finished within three minutes")
        .expect("schemathesis started");
    let report = format!("{}\n{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "schemathesis found problems:\n{report}");
    // Its summary, for the test log (`--nocapture`).
    let lines: Vec<&str> = report.lines().collect();
    eprintln!("{}", lines[lines.len().saturating_sub(20)..].join("\n"));
    // It did test the API: every endpoint was called.
    for path in ["/api/v1/operations", "/api/v1/transactions", "/api/v1/payment-plans/{plan}/terms"] {
        assert!(report.contains(path), "{path} was not tested:\n{report}");
    }
    let sent = app_requests(&app).await;
    assert!(sent > 0, "no idempotency record: schemathesis sent no accepted POST");
}

/// The POSTs the portal answered and recorded (each one has an idempotency record).
async fn app_requests(app: &portal_tests::TestApp) -> i64 {
    portal_tests::scalar(&app.db, "SELECT COUNT(*) FROM api_idempotency").await
}
