//! The notification categories a user switches on or off.

use serde::{Deserialize, Serialize};

/// The four dispute categories and the separate payments switch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Category {
    NewInquiry,
    NewChargeback,
    CaseUpdate,
    UrgentCase,
    Payments,
}

impl Category {
    /// Every switchable category, in the order the profile shows them.
    pub const ALL: [Category; 5] =
        [Category::NewInquiry, Category::NewChargeback, Category::CaseUpdate, Category::UrgentCase, Category::Payments];

    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::NewInquiry => "new_inquiry",
            Category::NewChargeback => "new_chargeback",
            Category::CaseUpdate => "case_update",
            Category::UrgentCase => "urgent_case",
            Category::Payments => "payments",
        }
    }

    /// The category stored under `name`.
    pub fn parse(name: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|category| category.as_str() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for category in Category::ALL {
            assert_eq!(Category::parse(category.as_str()), Some(category));
        }
        assert_eq!(Category::parse("account"), None);
    }
}
