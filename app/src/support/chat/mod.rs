//! The live chat between merchants and customer service. The chat box is an island (`island`,
//! compiled for the browser too); everything else is server only: the opening hours (`hours`),
//! the status machine (`state`), the settings and wake-ups every instance holds (`settings`),
//! what each action does (`conversations`), the transcript email (`transcript`), all the SQL
//! (`store`) and the types it reads (`model`), the forms' and the chat box's endpoints (`http`),
//! the live stream (`events`), and the pages: the merchants' (`pages`) and customer service's
//! (`console_pages`).

pub mod island;

#[cfg(feature = "ssr")]
pub mod console_pages;
#[cfg(feature = "ssr")]
pub mod conversations;
#[cfg(feature = "ssr")]
pub mod events;
#[cfg(feature = "ssr")]
pub mod hours;
#[cfg(feature = "ssr")]
pub mod http;
#[cfg(feature = "ssr")]
pub mod model;
#[cfg(feature = "ssr")]
pub mod pages;
#[cfg(feature = "ssr")]
pub mod settings;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod transcript;
