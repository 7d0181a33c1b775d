//! The security baseline every response goes through:
//! - a CSRF guard: a state-changing request (anything but GET, HEAD, OPTIONS) coming from a
//!   browser must come from this portal's own pages (`Sec-Fetch-Site`, else `Origin`), or it
//!   gets 403 before any handler runs. Requests without either header are not from a browser,
//!   carry no ambient cookies, and pass. SameSite cookies (Accounts issue) are the second layer.
//!   The gateway API (`/api/v1/…`) authenticates with `Authorization: Bearer` and never reads a
//!   cookie, so a request there carrying that header passes whatever its origin: a page of
//!   another site cannot add the header without a CORS preflight, which the portal never
//!   grants, and cookies give it nothing there. Without the header it is checked like any other.
//! - headers: no MIME sniffing, no framing, a strict referrer policy, HSTS on https, and a
//!   default Content-Security-Policy; pages replace it with one that names their nonce (see
//!   `app::shell`).

use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::set_header::SetResponseHeaderLayer;

/// Refuses cross-site state-changing requests with 403.
pub async fn csrf_guard(request: Request, next: Next) -> Response {
    if is_safe_method(request.method()) || comes_from_this_site(request.headers()) || is_bearer_api_call(&request) {
        next.run(request).await
    } else {
        tracing::warn!(method = %request.method(), path = %request.uri().path(), "cross-site request refused");
        (StatusCode::FORBIDDEN, "This request did not come from the portal's own pages and was refused.")
            .into_response()
    }
}

fn is_safe_method(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// A request to the gateway API that names its key in `Authorization: Bearer`.
fn is_bearer_api_call(request: &Request) -> bool {
    request.uri().path().starts_with(app::api::http::API_PREFIX)
        && request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(app::api::keys::bearer)
            .is_some()
}

/// `Sec-Fetch-Site` when the browser sends it; otherwise `Origin` against `Host`.
fn comes_from_this_site(headers: &HeaderMap) -> bool {
    let text = |name: HeaderName| headers.get(name).and_then(|value| value.to_str().ok());
    if let Some(site) = text(HeaderName::from_static("sec-fetch-site")) {
        // "none": typed in the address bar or a bookmark, never another site.
        return matches!(site, "same-origin" | "none");
    }
    match (text(header::ORIGIN), text(header::HOST)) {
        (Some(origin), Some(host)) => origin_matches_host(origin, host),
        (Some(_), None) => false,
        // No browser header at all: not a browser, so no cookies to abuse.
        (None, _) => true,
    }
}

/// Whether `Origin` (`scheme://host[:port]`) names the host the browser sent the request to.
fn origin_matches_host(origin: &str, host: &str) -> bool {
    url::Url::parse(origin)
        .ok()
        .filter(|origin| matches!(origin.scheme(), "http" | "https"))
        .is_some_and(|origin| names_host(&origin, host))
}

/// Whether `url`'s `host[:port]` is the `Host` header value `host` (how the browser reached us).
pub(crate) fn names_host(url: &url::Url, host: &str) -> bool {
    let Some(url_host) = url.host_str() else {
        return false;
    };
    let authority = match url.port() {
        Some(port) => format!("{url_host}:{port}"),
        None => url_host.to_owned(),
    };
    authority.eq_ignore_ascii_case(host)
}

/// The headers every response carries unless the handler set its own.
pub fn header_layers(https: bool) -> Vec<SetResponseHeaderLayer<HeaderValue>> {
    let mut layers = vec![
        SetResponseHeaderLayer::if_not_present(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")),
        SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ),
        SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"),
        ),
    ];
    if https {
        layers.push(SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        ));
    }
    layers
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(HeaderName::from_static(name), HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn same_site_requests_pass_and_cross_site_ones_do_not() {
        assert!(comes_from_this_site(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(comes_from_this_site(&headers(&[("sec-fetch-site", "none")])));
        assert!(!comes_from_this_site(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(
            !comes_from_this_site(&headers(&[("sec-fetch-site", "same-site")])),
            "a sibling subdomain is another site"
        );
        assert!(comes_from_this_site(&headers(&[("origin", "http://127.0.0.1:3000"), ("host", "127.0.0.1:3000")])));
        assert!(!comes_from_this_site(&headers(&[("origin", "http://127.0.0.1:3001"), ("host", "127.0.0.1:3000")])));
        assert!(!comes_from_this_site(&headers(&[("origin", "https://evil.example"), ("host", "portal.example")])));
        assert!(
            !comes_from_this_site(&headers(&[("origin", "null"), ("host", "portal.example")])),
            "sandboxed or file origins are refused"
        );
        assert!(comes_from_this_site(&headers(&[("host", "portal.example")])), "not a browser");
    }

    #[test]
    fn only_bearer_calls_of_the_api_pass_from_anywhere() {
        let request = |path: &str, authorization: Option<&'static str>| {
            let mut builder = Request::builder().method(Method::POST).uri(path).header("sec-fetch-site", "cross-site");
            if let Some(value) = authorization {
                builder = builder.header(header::AUTHORIZATION, value);
            }
            builder.body(axum::body::Body::empty()).unwrap()
        };
        assert!(is_bearer_api_call(&request("/api/v1/operations", Some("Bearer mdp_x"))));
        assert!(!is_bearer_api_call(&request("/api/v1/operations", None)), "a cookie alone is checked");
        assert!(!is_bearer_api_call(&request("/api/v1/operations", Some("Basic eA=="))));
        assert!(!is_bearer_api_call(&request("/admin/api-keys", Some("Bearer mdp_x"))), "the forms are checked");
        assert!(!is_bearer_api_call(&request("/api/keep_alive", Some("Bearer mdp_x"))), "server functions are checked");
    }
}
