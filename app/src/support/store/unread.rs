//! The count of a user's unread threads, as SQL the caller's one query embeds (see
//! `accounts::store::caller`): threads the user sees (`support::rules`) in which customer
//! service wrote after the user's read mark.

/// A scalar subquery: how many threads the user whose id the SQL expression `user` names sees
/// with a message of customer service newer than their read mark.
pub fn unread_threads_sql(user: &str) -> String {
    format!(
        "(SELECT COUNT(*) FROM message_threads t \
          LEFT JOIN message_reads r ON r.thread_id = t.id AND r.user_id = {user} \
          WHERE t.last_agent_message_id > COALESCE(r.message_id, 0) AND ({visible}))",
        visible = visible_sql("t", user)
    )
}

/// SQL true when the thread `thread` (an alias of `message_threads`) is seen by the user `user`
/// names: its author, its organisation's headquarters, or its establishment's users.
pub fn visible_sql(thread: &str, user: &str) -> String {
    format!(
        "{thread}.created_by = {user} OR EXISTS (SELECT 1 FROM memberships vm WHERE vm.user_id = {user} \
           AND vm.organisation_id = {thread}.organisation_id \
           AND (vm.establishment_id IS NULL OR vm.establishment_id = {thread}.establishment_id))"
    )
}
