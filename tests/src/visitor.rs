//! A visitor: an HTTP client with its own cookie jar that does not follow redirects, with the
//! few moves account tests make (sign in, post a form, read the session cookie).

use reqwest::cookie::{CookieStore, Jar};
use std::sync::Arc;

pub struct Visitor {
    pub client: reqwest::Client,
    pub jar: Arc<Jar>,
    pub base: String,
}

impl Visitor {
    pub fn new(base: &str) -> Visitor {
        let jar = Arc::new(Jar::default());
        let client = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            // A request that hangs fails the test instead of stalling the run.
            .timeout(std::time::Duration::from_secs(60))
            .build()
            .expect("an HTTP client");
        Visitor { client, jar, base: base.to_owned() }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("the server answers")
    }

    /// The page's HTML.
    pub async fn page(&self, path: &str) -> String {
        self.get(path).await.text().await.expect("a body")
    }

    /// Posts a form (as a browser on the same site would, with no Origin header).
    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.client.post(self.url(path)).form(form).send().await.expect("the server answers")
    }

    /// Posts a multipart form (with files).
    pub async fn post_multipart(&self, path: &str, form: reqwest::multipart::Form) -> reqwest::Response {
        self.client.post(self.url(path)).multipart(form).send().await.expect("the server answers")
    }

    /// Signs in; the response is the redirect.
    pub async fn sign_in(&self, username: &str, password: &str) -> reqwest::Response {
        self.post("/login", &[("username", username), ("password", password)]).await
    }

    /// Signs in a demo user with their demo password, asserting it worked.
    pub async fn sign_in_demo(&self, username: &str) {
        let response = self.sign_in(username, &format!("Demo-{username}-2026")).await;
        assert_eq!(response.status(), 303);
        assert_eq!(response.headers()["location"], "/", "{username} signs in");
    }

    /// The session cookie's value, if any.
    pub fn session_id(&self) -> Option<String> {
        let url = self.base.parse().expect("a URL");
        let cookies = self.jar.cookies(&url)?;
        cookies.to_str().ok()?.split("; ").find_map(|pair| pair.strip_prefix("portal_session=").map(str::to_owned))
    }

    /// A second visitor holding the same session cookie (another tab, or a stolen cookie).
    pub fn with_session(&self, id: &str) -> Visitor {
        let other = Visitor::new(&self.base);
        let url = self.base.parse().expect("a URL");
        other.jar.add_cookie_str(&format!("portal_session={id}; Path=/"), &url);
        other
    }

    /// Follows a form's redirect and returns the page it leads to.
    pub async fn follow(&self, response: reqwest::Response) -> String {
        assert_eq!(response.status(), 303, "a form answers with a redirect");
        let location = response.headers()["location"].to_str().expect("a location").to_owned();
        self.page(&location).await
    }

    /// Posts a form, follows the redirect and returns the page it leads to.
    pub async fn submit(&self, path: &str, form: &[(&str, &str)]) -> String {
        self.follow(self.post(path, form).await).await
    }

    /// Posts a multipart form, follows the redirect and returns the page it leads to.
    pub async fn submit_multipart(&self, path: &str, form: reqwest::multipart::Form) -> String {
        self.follow(self.post_multipart(path, form).await).await
    }

    /// Who the header says is signed in (`None` for nobody).
    pub async fn signed_in_as(&self) -> Option<String> {
        let page = self.page("/profile").await;
        let tag = page.find("data-testid=\"identity\"")?;
        let start = tag + page[tag..].find('>')? + 1;
        let name = &page[start..start + page[start..].find('<')?];
        (!page.contains("data-testid=\"sign-in-prompt\"")).then(|| name.to_owned())
    }
}
