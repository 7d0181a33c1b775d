//! The demo world: three organisations (central with three establishments, local with two, a
//! single establishment not yet subscribed to online disputes), a user for every role, and their
//! money and cases.

use super::cases::{case, due, CaseContext, CaseSpec, Cases};
use super::ids::Ids;
use super::ledger::{Ledger, LedgerSpec, Pricing, Volume};
use super::rows::{row, Batch};
use super::{SeedError, SeedReport};
use app::notifications::category::Category;
use chrono::NaiveDate;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use sqlx::AnyConnection;

pub struct Organisation {
    pub key: &'static str,
    pub name: &'static str,
    pub dispute_config: &'static str,
}

pub struct Establishment {
    pub organisation: &'static str,
    pub number: &'static str,
    pub trading_name: &'static str,
    pub address: (&'static str, &'static str, &'static str),
    pub phone: &'static str,
    pub language: &'static str,
    pub pricing: Pricing,
    pub anniversary: (u32, u32),
    pub subscribed: bool,
}

/// A demo login. `scope` is an establishment number, an organisation key (HQ) or empty (staff).
pub struct DemoUser {
    pub username: &'static str,
    pub full_name: &'static str,
    pub kind: &'static str,
    pub role: Option<&'static str>,
    pub scope: &'static str,
    pub language: &'static str,
}

impl DemoUser {
    /// Demo passwords follow one pattern so the README can state it: `Demo-<username>-2026`.
    pub fn password(&self) -> String {
        format!("Demo-{}-2026", self.username)
    }
}

pub const ORGANISATIONS: &[Organisation] = &[
    Organisation { key: "lemaire", name: "Maison Lemaire", dispute_config: "central" },
    Organisation { key: "rivage", name: "Hôtels Rivage", dispute_config: "local" },
    Organisation { key: "librairie", name: "Librairie du Port", dispute_config: "local" },
];

pub const ESTABLISHMENTS: &[Establishment] = &[
    Establishment {
        organisation: "lemaire",
        number: "9421000011",
        trading_name: "Maison Lemaire — Paris Opéra",
        address: ("12 rue Auber", "75009", "Paris"),
        phone: "01 42 00 10 11",
        language: "fr",
        pricing: Pricing::Net,
        anniversary: (1, 15),
        subscribed: true,
    },
    Establishment {
        organisation: "lemaire",
        number: "9421000029",
        trading_name: "Maison Lemaire — Lyon Bellecour",
        address: ("4 place Bellecour", "69002", "Lyon"),
        phone: "04 72 00 10 29",
        language: "fr",
        pricing: Pricing::Net,
        anniversary: (1, 15),
        subscribed: true,
    },
    Establishment {
        organisation: "lemaire",
        number: "9421000037",
        trading_name: "Maison Lemaire — Bordeaux Chartrons",
        address: ("31 quai des Chartrons", "33000", "Bordeaux"),
        phone: "05 56 00 10 37",
        language: "fr",
        pricing: Pricing::Gross,
        anniversary: (3, 15),
        subscribed: true,
    },
    Establishment {
        organisation: "rivage",
        number: "9421000045",
        trading_name: "Hôtel Rivage Nice",
        address: ("88 promenade des Anglais", "06000", "Nice"),
        phone: "04 93 00 10 45",
        language: "fr",
        pricing: Pricing::Gross,
        anniversary: (6, 1),
        subscribed: true,
    },
    Establishment {
        organisation: "rivage",
        number: "9421000052",
        trading_name: "Hôtel Rivage Biarritz",
        address: ("2 avenue de l'Impératrice", "64200", "Biarritz"),
        phone: "05 59 00 10 52",
        language: "en",
        pricing: Pricing::Net,
        anniversary: (9, 1),
        subscribed: true,
    },
    Establishment {
        organisation: "librairie",
        number: "9421000060",
        trading_name: "Librairie du Port",
        address: ("5 quai Duperré", "17000", "La Rochelle"),
        phone: "05 46 00 10 60",
        language: "fr",
        pricing: Pricing::Net,
        anniversary: (4, 1),
        subscribed: false,
    },
];

pub const USERS: &[DemoUser] = &[
    DemoUser {
        username: "opera",
        full_name: "Camille Martin",
        kind: "merchant",
        role: Some("establishment_user"),
        scope: "9421000011",
        language: "fr",
    },
    DemoUser {
        username: "lyon",
        full_name: "Hugo Bernard",
        kind: "merchant",
        role: Some("establishment_user"),
        scope: "9421000029",
        language: "fr",
    },
    DemoUser {
        username: "lemaire.hq",
        full_name: "Inès Lemaire",
        kind: "merchant",
        role: Some("hq_user"),
        scope: "lemaire",
        language: "fr",
    },
    DemoUser {
        username: "lemaire.admin",
        full_name: "Paul Lemaire",
        kind: "merchant",
        role: Some("org_admin"),
        scope: "lemaire",
        language: "fr",
    },
    DemoUser {
        username: "rivage.hq",
        full_name: "Nora Vidal",
        kind: "merchant",
        role: Some("hq_user"),
        scope: "rivage",
        language: "fr",
    },
    DemoUser {
        username: "rivage.nice",
        full_name: "Lucas Petit",
        kind: "merchant",
        role: Some("establishment_user"),
        scope: "9421000045",
        language: "fr",
    },
    DemoUser {
        username: "rivage.biarritz",
        full_name: "Emma Walsh",
        kind: "merchant",
        role: Some("establishment_user"),
        scope: "9421000052",
        language: "en",
    },
    DemoUser {
        username: "librairie",
        full_name: "Jeanne Moreau",
        kind: "merchant",
        role: Some("establishment_user"),
        scope: "9421000060",
        language: "fr",
    },
    DemoUser {
        username: "analyst",
        full_name: "Sofia Garnier",
        kind: "dispute_analyst",
        role: None,
        scope: "",
        language: "fr",
    },
    DemoUser {
        username: "support",
        full_name: "Yanis Roux",
        kind: "support_agent",
        role: None,
        scope: "",
        language: "fr",
    },
    DemoUser {
        username: "admin",
        full_name: "Claire Dubois",
        kind: "platform_admin",
        role: None,
        scope: "",
        language: "en",
    },
];

/// The main demo establishment: every stage and status, several cases due within three days.
const EVERY_CASE: &[CaseSpec] = &[
    due("inquiry", "needs_response", 1),
    due("inquiry", "needs_response", 3),
    case("inquiry", "needs_response"),
    case("inquiry", "draft_saved"),
    case("inquiry", "under_review"),
    case("inquiry", "info_requested"),
    case("inquiry", "accepted"),
    case("inquiry", "won"),
    case("inquiry", "lost"),
    due("inquiry", "expired", -2),
    due("chargeback", "needs_response", 2),
    case("chargeback", "needs_response"),
    due("chargeback", "draft_saved", 0),
    case("chargeback", "under_review"),
    case("chargeback", "info_requested"),
    case("chargeback", "accepted"),
    case("chargeback", "won"),
    case("chargeback", "lost"),
    case("chargeback", "expired"),
];

/// A handful of cases for the other establishments.
const SOME_CASES: &[CaseSpec] = &[
    due("inquiry", "needs_response", 2),
    case("chargeback", "needs_response"),
    case("inquiry", "under_review"),
    case("chargeback", "won"),
    case("inquiry", "accepted"),
];

/// Writes the demo world into an empty database.
pub async fn load(
    connection: &mut AnyConnection,
    ids: &mut Ids,
    today: NaiveDate,
    now: i64,
) -> Result<SeedReport, SeedError> {
    // The logins, as printed on every later start too; the codes are added below.
    let mut report = super::demo_credentials();
    let mut rng = ChaCha8Rng::seed_from_u64(20_261_122);

    let mut organisation_ids = Vec::new();
    let mut rows = Vec::new();
    for organisation in ORGANISATIONS {
        let id = ids.next("organisations");
        organisation_ids.push((organisation.key, id));
        rows.push(row![id, organisation.name, organisation.dispute_config, now]);
    }
    Batch::new("organisations", &["id", "name", "dispute_config", "created_at"]).write_all(connection, rows).await?;
    let organisation_id =
        |key: &str| organisation_ids.iter().find(|(k, _)| *k == key).map(|(_, id)| *id).expect("known organisation");

    let mut establishment_ids = Vec::new();
    let mut rows = Vec::new();
    for establishment in ESTABLISHMENTS {
        let id = ids.next("establishments");
        establishment_ids.push((establishment.number, id));
        // Random per database: the plain codes exist only in the report (printed, and kept in
        // the data folder by the command line).
        let code = app::accounts::activation::new_code();
        let (street, postcode, city) = establishment.address;
        let anniversary = format!("{:02}-{:02}", establishment.anniversary.0, establishment.anniversary.1);
        // The demo establishment that has not subscribed to online disputes gets paper statements too.
        let paperless = establishment.subscribed;
        report.activation_codes.push((
            establishment.number.to_owned(),
            establishment.trading_name.to_owned(),
            code.clone(),
        ));
        rows.push(row![
            id,
            organisation_id(establishment.organisation),
            establishment.number,
            establishment.trading_name,
            street,
            postcode,
            city,
            establishment.phone,
            establishment.language,
            "EUR",
            establishment.pricing.as_str(),
            anniversary,
            paperless,
            establishment.subscribed,
            establishment.subscribed.then_some(now),
            Some(app::accounts::activation::hash(&code)),
            now + app::accounts::activation::LIFETIME_SECONDS,
            &establishment.number[6..],
            now
        ]);
    }
    Batch::new(
        "establishments",
        &[
            "id",
            "organisation_id",
            "number",
            "trading_name",
            "address_line",
            "postcode",
            "city",
            "phone",
            "language",
            "currency",
            "pricing",
            "contract_anniversary",
            "paperless",
            "dispute_subscribed",
            "dispute_subscribed_at",
            "activation_code_hash",
            "activation_code_expires_at",
            "bank_account_last4",
            "created_at",
        ],
    )
    .write_all(connection, rows)
    .await?;
    let establishment_id = |number: &str| {
        establishment_ids.iter().find(|(n, _)| *n == number).map(|(_, id)| *id).expect("known establishment")
    };

    let user_ids = super::write_users(connection, ids, USERS, now, |user| match user.role {
        Some("establishment_user") => {
            let establishment = ESTABLISHMENTS.iter().find(|e| e.number == user.scope).expect("known establishment");
            Some((organisation_id(establishment.organisation), Some(establishment_id(user.scope))))
        }
        Some(_) => Some((organisation_id(user.scope), None)),
        None => None,
    })
    .await?;
    let user_id = |name: &str| user_ids.iter().find(|(n, _)| *n == name).map(|(_, id)| *id).expect("known user");

    for (index, establishment) in ESTABLISHMENTS.iter().enumerate() {
        let id = establishment_id(establishment.number);
        let spec = LedgerSpec {
            establishment_id: id,
            number: establishment.number.to_owned(),
            pricing: establishment.pricing,
            anniversary: establishment.anniversary,
            transaction_days: 70,
            volume: Volume::PerDay(12, 36),
            cards: 400,
        };
        let ledger = Ledger::plan(spec, today, ids);
        let merchant = USERS
            .iter()
            .find(|user| user.scope == establishment.number)
            .map(|user| (user_id(user.username), "establishment_user"))
            .unwrap_or_else(|| (user_id("lemaire.hq"), "hq_user"));
        let context = CaseContext {
            establishment_id: id,
            number: establishment.number,
            french: establishment.language == "fr",
            currency: "EUR",
            today,
            now,
            merchant_user_id: merchant.0,
            merchant_role: merchant.1,
            analyst_user_id: user_id("analyst"),
        };
        let specs = if index == 0 { EVERY_CASE } else { SOME_CASES };
        let cases = Cases::generate(&context, &ledger.charges, specs, &mut rng, ids);
        report.disputes += cases.len() as u64;
        let settlement = ledger.write_money(connection, ids, cases.adjustments.clone(), "EUR").await?;
        cases.write(connection).await?;
        report.transactions += ledger.write_settlement(connection, ids, settlement).await?;
    }
    write_threads(connection, ids, now, &|name| user_id(name), &|number| establishment_id(number), &|key| {
        organisation_id(key)
    })
    .await?;
    report.gateway_key = Some(super::gateway::load(connection, user_id("admin"), now).await?);
    report.organisations = ORGANISATIONS.len() as u64;
    report.establishments = ESTABLISHMENTS.len() as u64;
    Ok(report)
}

/// Two secure-message threads, so that the messages pages and the support console have
/// something to show: Opéra asked about a statement and customer service (`support`) answered
/// (a reply Opéra and Maison Lemaire's headquarters have not read yet); Biarritz asked a
/// question in English that waits for an answer.
async fn write_threads(
    connection: &mut AnyConnection,
    ids: &mut Ids,
    now: i64,
    user_id: &dyn Fn(&str) -> i64,
    establishment_id: &dyn Fn(&str) -> i64,
    organisation_id: &dyn Fn(&str) -> i64,
) -> Result<(), SeedError> {
    let hour = 3600;
    let (answered, waiting) = (ids.next("message_threads"), ids.next("message_threads"));
    let first = ids.take("secure_messages", 3);
    let threads = vec![
        row![
            answered,
            organisation_id("lemaire"),
            Some(establishment_id("9421000011")),
            user_id("opera"),
            "Ligne « commission » du relevé d'octobre",
            "answered",
            "payments",
            Some(first + 1),
            now - 50 * hour,
            now - 26 * hour
        ],
        row![
            waiting,
            organisation_id("rivage"),
            Some(establishment_id("9421000052")),
            user_id("rivage.biarritz"),
            "Downloading statements as CSV",
            "open",
            "website",
            None::<i64>,
            now - 5 * hour,
            now - 5 * hour
        ],
    ];
    Batch::new(
        "message_threads",
        &[
            "id",
            "organisation_id",
            "establishment_id",
            "created_by",
            "subject",
            "status",
            "topic",
            "last_agent_message_id",
            "created_at",
            "updated_at",
        ],
    )
    .write_all(connection, threads)
    .await?;
    let messages = vec![
        row![
            first,
            answered,
            user_id("opera"),
            "Bonjour, notre relevé d'octobre affiche une ligne « commission » que nous ne comprenons pas. \
             Pouvez-vous nous l'expliquer ?",
            now - 50 * hour
        ],
        row![
            first + 1,
            answered,
            user_id("support"),
            "Bonjour, votre établissement est en tarification brute : les frais de l'année sont prélevés \
             le mois anniversaire de votre contrat, d'où cette ligne. Bien cordialement.",
            now - 26 * hour
        ],
        row![
            first + 2,
            waiting,
            user_id("rivage.biarritz"),
            "Hello, is there a way to download a whole month of transactions as CSV for our accountant?",
            now - 5 * hour
        ],
    ];
    Batch::new("secure_messages", &["id", "thread_id", "sender_user_id", "body", "sent_at"])
        .write_all(connection, messages)
        .await?;
    // Each author has read their own thread up to their own message.
    let reads = vec![
        row![answered, user_id("opera"), first, now - 50 * hour],
        row![waiting, user_id("rivage.biarritz"), first + 2, now - 5 * hour],
    ];
    Batch::new("message_reads", &["thread_id", "user_id", "message_id", "read_at"])
        .write_all(connection, reads)
        .await?;
    Ok(())
}

/// (username, password, what the user is) for every demo login.
pub fn users_described() -> Vec<(String, String, String)> {
    USERS.iter().map(|user| (user.username.to_owned(), user.password(), describe(user))).collect()
}

fn describe(user: &DemoUser) -> String {
    match user.role {
        Some("establishment_user") => format!("establishment user, {}", user.scope),
        Some("hq_user") => format!("HQ user, {}", organisation_name(user.scope)),
        Some("org_admin") => format!("organisation admin, {}", organisation_name(user.scope)),
        _ => user.kind.replace('_', " "),
    }
}

fn organisation_name(key: &str) -> String {
    ORGANISATIONS
        .iter()
        .find(|o| o.key == key)
        .map(|o| format!("{} ({})", o.name, o.dispute_config))
        .unwrap_or_default()
}

/// Every merchant starts with every category on, one email each.
pub fn default_preferences(user_id: i64) -> impl Iterator<Item = Vec<super::rows::V>> {
    Category::ALL.into_iter().map(move |category| row![user_id, category.as_str(), true, false])
}
