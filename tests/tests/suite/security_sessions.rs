//! Security review, sessions and accounts: each test reproduces one hole the review found (its
//! number in the Access issue) and shows it closed.

use portal_tests::{scalar, spawn_app_with_demo};
use std::str::FromStr;
use std::time::Duration;
use tower_sessions::session::Id;
use tower_sessions::SessionStore;

/// Hole 2: a request still in flight when its session was ended (password reset, user removed)
/// must not write the session back when it finishes.
#[tokio::test]
async fn an_ended_session_stays_ended_whatever_finishes_after() {
    let app = spawn_app_with_demo().await;
    let opera = app.visitor();
    opera.sign_in_demo("opera").await;
    let id = opera.session_id().expect("a session cookie");
    let store = app::accounts::session_store::DbSessionStore::new(app.db.clone());
    // The in-flight request loaded its session before it was ended…
    let record = store.load(&Id::from_str(&id).unwrap()).await.unwrap().expect("the stored session");
    let user = scalar(&app.db, "SELECT id FROM users WHERE username = 'opera'").await;
    app::accounts::session_store::DbSessionStore::end_sessions_of(&app.db, user, None).await.unwrap();
    // …and saves it (a touched idle timeout, a flash) once it was.
    store.save(&record).await.unwrap();
    assert_eq!(scalar(&app.db, &format!("SELECT COUNT(*) FROM sessions WHERE id = '{id}'")).await, 0);
    assert_eq!(opera.signed_in_as().await, None, "signed out for good");
    app.stop().await;
}

/// Hole 11: the notification stream of a page whose session ended stops, instead of sending for
/// up to the idle timeout (15 minutes).
#[tokio::test]
async fn the_notification_stream_ends_with_its_session() {
    let app = spawn_app_with_demo().await;
    let opera = app.visitor();
    opera.sign_in_demo("opera").await;
    let mut stream = opera.get("/notifications/events").await;
    assert_eq!(stream.headers()["content-type"], "text/event-stream");
    let first = tokio::time::timeout(Duration::from_secs(10), stream.chunk()).await.expect("the first event");
    assert!(first.unwrap().is_some(), "the stream is open");
    // Signed out from another tab.
    let other_tab = opera.with_session(&opera.session_id().unwrap());
    assert_eq!(other_tab.post("/logout", &[]).await.status(), 303);
    // The stream ends within its look-again period (5 s), keep-alive comments aside.
    let ended = tokio::time::timeout(Duration::from_secs(12), async {
        loop {
            match stream.chunk().await {
                Ok(Some(_)) => continue,
                _ => break,
            }
        }
    })
    .await;
    assert!(ended.is_ok(), "the stream was still open 12 s after its session ended");
    app.stop().await;
}
