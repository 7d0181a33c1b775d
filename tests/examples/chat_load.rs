//! Benchmark: 50 live chats at once, each exchanging 20 messages (10 each way) between a merchant
//! and a support agent (5 agents with 10 chats each), every side following its chat's event
//! stream. Measures each message's delivery, from the moment its POST is sent to the moment the
//! other side's stream brings it; prints p50, p99 and how many never arrived (within 5 s). Exits
//! with 1 if p99 is 200 ms or more, or if any message was lost.
//!
//! Runs against a demo server whose chat is open (`CHAT_CLOCK` pinned to a weekday morning,
//! `AUTH_RATE_LIMIT` raised), with access to its database to add the benchmark's merchants and
//! agents (copies of `opera` and `support`, same password); `scripts/bench.sh` starts one on
//! SQLite and one on PostgreSQL:
//!
//!     cargo run --release -p portal-tests --example chat_load -- http://127.0.0.1:3000 sqlite://data/portal.db

use futures::StreamExt;
use portal_tests::events::EventStream;
use portal_tests::load::{ms, percentile};
use portal_tests::Visitor;
use std::time::{Duration, Instant};

const CHATS: usize = 50;
const AGENTS: usize = 5;
const MESSAGES: usize = 20;
const LOST_AFTER: Duration = Duration::from_secs(5);

/// Adds `count` copies of the demo user `model` named `{prefix}{n}`, with their memberships.
async fn copies(db: &app::db::Db, model: &str, prefix: &str, count: usize) {
    for n in 0..count {
        let username = format!("{prefix}{n}");
        sqlx::query(
            "INSERT INTO users (username, email, full_name, password_hash, language, kind, password_changed_at, \
                 created_at) \
             SELECT $1, $1 || '@bench.example', full_name, password_hash, language, kind, password_changed_at, \
                 created_at FROM users WHERE username = $2",
        )
        .bind(&username)
        .bind(model)
        .execute(&db.pool)
        .await
        .expect("a benchmark user");
        sqlx::query(
            "INSERT INTO memberships (user_id, organisation_id, establishment_id, role, created_at) \
             SELECT (SELECT id FROM users WHERE username = $1), m.organisation_id, m.establishment_id, m.role, \
                 m.created_at FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.username = $2",
        )
        .bind(&username)
        .bind(model)
        .execute(&db.pool)
        .await
        .expect("a benchmark membership");
    }
}

async fn signed_in(base: &str, username: String, password: &str) -> Visitor {
    let visitor = Visitor::new(base);
    let response = visitor.sign_in(&username, password).await;
    assert_eq!(response.headers()["location"], "/", "{username} signs in (is AUTH_RATE_LIMIT raised?)");
    visitor
}

async fn open(base: &str, visitor: &Visitor, id: i64) -> EventStream {
    EventStream::open(&visitor.client, &format!("{base}/chat/{id}/events"), None).await.ok().expect("a chat stream")
}

/// One chat's exchange: the latencies of its delivered messages, and how many were lost.
async fn exchange(base: String, merchant: Visitor, agent: &Visitor, chat: usize) -> (Vec<Duration>, usize) {
    let response = merchant.post("/chat", &[("case_number", "")]).await;
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let id: i64 = location.strip_prefix("/chat/").expect("the chat starts (is the chat open?)").parse().unwrap();
    let taken = agent.post(&format!("/support/chats/{id}/take"), &[]).await;
    assert_eq!(taken.headers()["location"].to_str().unwrap(), format!("/support/chats/{id}"), "the agent takes it");
    let (mut merchant_stream, mut agent_stream) = (open(&base, &merchant, id).await, open(&base, agent, id).await);
    let (mut latencies, mut lost) = (Vec::new(), 0);
    for n in 0..MESSAGES {
        let (sender, receiver) =
            if n % 2 == 0 { (&merchant, &mut agent_stream) } else { (agent, &mut merchant_stream) };
        let body = format!("chat {chat} message {n}");
        let sent = Instant::now();
        let response = sender.post(&format!("/chat/{id}/messages"), &[("body", &body)]).await;
        assert_eq!(response.status(), 204, "message {n} of chat {chat} stored");
        let deadline = sent + LOST_AFTER;
        let mut arrived = false;
        while let Some(event) = receiver.next_named("message", deadline.saturating_duration_since(Instant::now())).await
        {
            if event.data.ends_with(&format!("|{body}")) {
                latencies.push(sent.elapsed());
                arrived = true;
                break;
            }
        }
        lost += usize::from(!arrived);
    }
    agent.post(&format!("/support/chats/{id}/end"), &[]).await;
    (latencies, lost)
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let base = args.next().unwrap_or_else(|| "http://127.0.0.1:3000".into());
    let database = args.next().expect("the server's DATABASE_URL");
    let db = app::db::Db::connect(&database).await.expect("the server's database");
    let stamp = app::clock::now();
    let (merchant_prefix, agent_prefix) = (format!("bench.m{stamp}."), format!("bench.a{stamp}."));
    copies(&db, "opera", &merchant_prefix, CHATS).await;
    copies(&db, "support", &agent_prefix, AGENTS).await;
    let agents: Vec<Visitor> = futures::stream::iter(0..AGENTS)
        .map(|n| signed_in(&base, format!("{agent_prefix}{n}"), "Demo-support-2026"))
        .buffered(4)
        .collect()
        .await;
    for agent in &agents {
        agent.post("/support/availability", &[("availability", "available")]).await;
    }
    let merchants: Vec<Visitor> = futures::stream::iter(0..CHATS)
        .map(|n| signed_in(&base, format!("{merchant_prefix}{n}"), "Demo-opera-2026"))
        .buffered(4)
        .collect()
        .await;
    let started = Instant::now();
    let agents = &agents;
    let chats = merchants
        .into_iter()
        .enumerate()
        .map(|(chat, merchant)| exchange(base.clone(), merchant, &agents[chat % AGENTS], chat));
    let results = futures::future::join_all(chats).await;
    let elapsed = started.elapsed();
    let mut latencies: Vec<Duration> = results.iter().flat_map(|(latencies, _)| latencies.clone()).collect();
    let lost: usize = results.iter().map(|(_, lost)| lost).sum();
    latencies.sort();
    let (p50, p99) = (percentile(&latencies, 0.5), percentile(&latencies, 0.99));
    println!(
        "chat_load: {CHATS} chats x {MESSAGES} messages in {:.1} s: delivered {}, lost {lost}, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        elapsed.as_secs_f64(),
        latencies.len(),
        ms(p50),
        ms(p99),
        ms(latencies.last().copied().unwrap_or_default())
    );
    if lost > 0 || p99 >= Duration::from_millis(200) {
        std::process::exit(1);
    }
}
