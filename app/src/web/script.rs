//! The contract between the islands that send a form themselves (the response form's upload
//! progress) and the server: such a request carries [`SCRIPT_HEADER`], and the redirect that
//! answers it comes back as `204 No Content` with the target in [`LOCATION_HEADER`], for the
//! island to navigate there (an `XMLHttpRequest` would follow a 303 itself, and the page it
//! fetched would use up the one-time message meant for the user). Compiled on both sides.

/// The request header an island sets on a form it sends.
pub const SCRIPT_HEADER: &str = "x-portal-script";
/// The response header carrying where the browser goes next.
pub const LOCATION_HEADER: &str = "x-portal-location";
