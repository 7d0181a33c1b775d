//! The card network's reason codes (shared/REASON_CODES.md), each with a plain-language
//! explanation and the documents a merchant usually supplies, in French and English.
//!
//! Chargeback codes are grouped as the network groups them (A authorisation, C cardholder
//! dispute, F fraud, P processing error, R retrieval/inquiry, M miscellaneous); inquiry codes are
//! the three-digit codes shown with a request for information.

use crate::i18n::Locale;

/// Whether a code is used for chargebacks or for inquiries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeKind {
    Chargeback,
    Inquiry,
}

impl CodeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CodeKind::Chargeback => "chargeback",
            CodeKind::Inquiry => "inquiry",
        }
    }
}

/// One reason code and what the portal says about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReasonCode {
    pub code: &'static str,
    pub kind: CodeKind,
    pub label_en: &'static str,
    pub label_fr: &'static str,
    pub explanation_en: &'static str,
    pub explanation_fr: &'static str,
    pub documents_en: &'static str,
    pub documents_fr: &'static str,
}

impl ReasonCode {
    /// The group the network files the code under.
    pub fn grouping(&self) -> &'static str {
        match (self.kind, self.code.as_bytes().first()) {
            (CodeKind::Inquiry, _) => "inquiry",
            (_, Some(b'A')) => "authorisation",
            (_, Some(b'C')) => "cardholder_dispute",
            (_, Some(b'F')) => "fraud",
            (_, Some(b'P')) => "processing_error",
            (_, Some(b'R')) => "inquiry_related",
            _ => "miscellaneous",
        }
    }

    /// The code's short label for a reader of `locale`.
    pub fn label(&self, locale: Locale) -> &'static str {
        match locale {
            Locale::fr => self.label_fr,
            Locale::en => self.label_en,
        }
    }

    /// The plain-language explanation for a reader of `locale`.
    pub fn explanation(&self, locale: Locale) -> &'static str {
        match locale {
            Locale::fr => self.explanation_fr,
            Locale::en => self.explanation_en,
        }
    }

    /// The documents as a checklist, one item each, for a reader of `locale`.
    pub fn document_list(&self, locale: Locale) -> Vec<&'static str> {
        let text = match locale {
            Locale::fr => self.documents_fr,
            Locale::en => self.documents_en,
        };
        text.split(';').map(str::trim).filter(|item| !item.is_empty()).collect()
    }
}

/// Finds a code (chargeback or inquiry) by its text.
pub fn find(code: &str) -> Option<&'static ReasonCode> {
    ALL.iter().find(|reason| reason.code == code)
}

/// The code an unanswered inquiry's chargeback carries.
pub const NO_REPLY: &str = "R13";

macro_rules! codes {
    ($($code:literal, $kind:ident, $len:literal, $lfr:literal, $xen:literal, $xfr:literal, $den:literal, $dfr:literal;)*) => {
        /// Every code the portal knows, chargeback codes first.
        pub const ALL: &[ReasonCode] = &[$(ReasonCode {
            code: $code,
            kind: CodeKind::$kind,
            label_en: $len,
            label_fr: $lfr,
            explanation_en: $xen,
            explanation_fr: $xfr,
            documents_en: $den,
            documents_fr: $dfr,
        }),*];
    };
}

codes! {
    "A01", Chargeback, "Amount above the authorised amount", "Montant supérieur au montant autorisé",
        "The amount charged is higher than the amount the card issuer approved.",
        "Le montant débité dépasse le montant approuvé par l'émetteur de la carte.",
        "Authorisation record; receipt", "Justificatif d'autorisation ; ticket";
    "A02", Chargeback, "No valid authorisation", "Pas d'autorisation valide",
        "The charge went through without a valid approval from the card issuer.",
        "La transaction a été passée sans autorisation valide de l'émetteur.",
        "Authorisation record", "Justificatif d'autorisation";
    "A08", Chargeback, "Authorisation expired", "Autorisation expirée",
        "The charge was submitted after its approval had expired.",
        "La transaction a été présentée après l'expiration de son autorisation.",
        "Authorisation record with its dates", "Justificatif d'autorisation avec ses dates";
    "C02", Chargeback, "Credit not processed", "Remboursement non effectué",
        "The cardholder says a refund was promised but never reached the card.",
        "Le titulaire indique qu'un remboursement promis n'a jamais été crédité sur sa carte.",
        "Proof the credit was issued, or the policy showing none is due",
        "Preuve du remboursement, ou conditions montrant qu'aucun n'est dû";
    "C04", Chargeback, "Goods or services returned or refused", "Marchandise retournée ou refusée",
        "The cardholder says they returned or refused the goods and were not refunded.",
        "Le titulaire indique avoir retourné ou refusé la marchandise sans être remboursé.",
        "Proof of delivery; return policy; proof the goods were not returned",
        "Preuve de livraison ; politique de retour ; preuve que la marchandise n'a pas été retournée";
    "C05", Chargeback, "Goods or services cancelled", "Commande annulée",
        "The cardholder says they cancelled and should not have been charged.",
        "Le titulaire indique avoir annulé et ne pas devoir être débité.",
        "Cancellation policy accepted by the cardholder; proof of use",
        "Conditions d'annulation acceptées par le titulaire ; preuve d'utilisation";
    "C08", Chargeback, "Goods or services not received", "Marchandise ou service non reçu",
        "The cardholder says nothing, or only part of the order, arrived.",
        "Le titulaire indique n'avoir rien reçu, ou seulement une partie de la commande.",
        "Proof of delivery or of the service provided", "Preuve de livraison ou de la prestation";
    "C14", Chargeback, "Paid by other means", "Payé par un autre moyen",
        "The cardholder says they paid for this purchase another way.",
        "Le titulaire indique avoir réglé cet achat par un autre moyen.",
        "Proof the other payment was for something else", "Preuve que l'autre paiement concernait un autre achat";
    "C18", Chargeback, "No-show or deposit cancelled", "Non-présentation ou acompte annulé",
        "The cardholder disputes a no-show charge or a cancelled deposit.",
        "Le titulaire conteste des frais de non-présentation ou un acompte annulé.",
        "Reservation terms; no-show policy accepted", "Conditions de réservation ; politique de non-présentation acceptée";
    "C28", Chargeback, "Cancelled recurring billing", "Paiement récurrent annulé",
        "The cardholder says they had cancelled the subscription before this charge.",
        "Le titulaire indique avoir résilié l'abonnement avant ce prélèvement.",
        "Proof the plan was active; cancellation terms", "Preuve que l'abonnement était actif ; conditions de résiliation";
    "C31", Chargeback, "Not as described", "Non conforme à la description",
        "The cardholder says what they received differs from what was described.",
        "Le titulaire indique que ce qu'il a reçu ne correspond pas à la description.",
        "Description shown at the sale; proof it matched", "Description affichée lors de la vente ; preuve de conformité";
    "C32", Chargeback, "Damaged or defective", "Endommagé ou défectueux",
        "The cardholder says the goods arrived damaged or do not work.",
        "Le titulaire indique que la marchandise est arrivée endommagée ou ne fonctionne pas.",
        "Condition at dispatch; repair or replacement offers", "État à l'expédition ; offres de réparation ou de remplacement";
    "F10", Chargeback, "Missing imprint", "Empreinte manquante",
        "The cardholder denies a card-present charge and no imprint or chip read proves the card was there.",
        "Le titulaire conteste une transaction en présence de la carte sans empreinte ni lecture de la puce.",
        "Card-present proof (imprint, chip read)", "Preuve de présence de la carte (empreinte, lecture de puce)";
    "F14", Chargeback, "Missing signature", "Signature manquante",
        "The cardholder denies the charge and the receipt is not signed.",
        "Le titulaire conteste la transaction et le ticket n'est pas signé.",
        "Signed receipt", "Ticket signé";
    "F22", Chargeback, "Expired or not yet valid card", "Carte expirée ou pas encore valide",
        "The card was outside its validity dates when it was charged.",
        "La carte était hors de sa période de validité lors du débit.",
        "Authorisation record showing the card was valid", "Justificatif d'autorisation montrant que la carte était valide";
    "F24", Chargeback, "No cardholder authorisation", "Transaction non autorisée par le titulaire",
        "The cardholder says they did not make or allow this charge.",
        "Le titulaire indique ne pas avoir effectué ni autorisé cette transaction.",
        "Proof the cardholder took part (delivery to the billing address, prior use)",
        "Preuve de la participation du titulaire (livraison à l'adresse de facturation, achats antérieurs)";
    "F29", Chargeback, "Card-not-present fraud", "Fraude carte non présente",
        "The cardholder denies an online, phone or mail-order charge.",
        "Le titulaire conteste un achat à distance (internet, téléphone, correspondance).",
        "Verification results (address, security code, 3-D Secure)",
        "Résultats des contrôles (adresse, cryptogramme, 3-D Secure)";
    "F30", Chargeback, "Counterfeit: chip not read", "Contrefaçon : puce non lue",
        "A counterfeit card was used and the terminal did not read the chip.",
        "Une carte contrefaite a été utilisée et le terminal n'a pas lu la puce.",
        "Chip read record", "Relevé de lecture de la puce";
    "F31", Chargeback, "Lost, stolen or never received chip card, no PIN", "Carte à puce perdue, volée ou non reçue, sans code",
        "A lost or stolen chip card was used without its PIN.",
        "Une carte à puce perdue ou volée a été utilisée sans son code confidentiel.",
        "Chip and PIN record", "Relevé puce et code confidentiel";
    "P01", Chargeback, "Unassigned card number", "Numéro de carte non attribué",
        "The card number charged does not belong to any account.",
        "Le numéro de carte débité ne correspond à aucun compte.",
        "Authorisation record", "Justificatif d'autorisation";
    "P03", Chargeback, "Credit processed as a charge", "Crédit traité comme un débit",
        "A refund was sent as a charge by mistake.",
        "Un remboursement a été envoyé par erreur comme un débit.",
        "Transaction record", "Relevé de la transaction";
    "P04", Chargeback, "Charge processed as a credit", "Débit traité comme un crédit",
        "A charge was sent as a refund by mistake.",
        "Un débit a été envoyé par erreur comme un remboursement.",
        "Transaction record", "Relevé de la transaction";
    "P05", Chargeback, "Incorrect charge amount", "Montant incorrect",
        "The cardholder says the amount charged differs from the amount agreed.",
        "Le titulaire indique que le montant débité diffère du montant convenu.",
        "Itemised receipt agreed by the cardholder", "Ticket détaillé accepté par le titulaire";
    "P07", Chargeback, "Late submission", "Présentation tardive",
        "The charge was submitted for payment too long after the sale.",
        "La transaction a été présentée au paiement trop longtemps après la vente.",
        "Submission records with dates", "Relevés de remise avec leurs dates";
    "P08", Chargeback, "Duplicate charge", "Débit en double",
        "The cardholder says they were charged twice for one purchase.",
        "Le titulaire indique avoir été débité deux fois pour un seul achat.",
        "Proof both charges are separate purchases", "Preuve que les deux débits sont des achats distincts";
    "P22", Chargeback, "Non-matching card number", "Numéro de carte non concordant",
        "The card number charged does not match the one authorised.",
        "Le numéro de carte débité ne correspond pas à celui autorisé.",
        "Transaction record", "Relevé de la transaction";
    "P23", Chargeback, "Currency discrepancy", "Erreur de devise",
        "The charge was made in a currency other than the one agreed.",
        "La transaction a été passée dans une autre devise que celle convenue.",
        "Receipt showing the currency agreed", "Ticket indiquant la devise convenue";
    "R03", Chargeback, "Insufficient reply to an inquiry", "Réponse insuffisante à une demande",
        "The reply to an earlier inquiry did not include what was asked.",
        "La réponse à une demande de renseignements ne contenait pas les éléments demandés.",
        "The documents the inquiry asked for", "Les documents demandés par la demande de renseignements";
    "R13", Chargeback, "No reply to an inquiry", "Absence de réponse à une demande",
        "An inquiry was not answered by its reply-by date, so the amount was charged back automatically.",
        "Une demande de renseignements est restée sans réponse à sa date limite : le montant a été débité automatiquement.",
        "", "";
    "M01", Chargeback, "Chargeback authorised by the merchant", "Débit compensatoire accepté par le commerçant",
        "The merchant agreed to this chargeback.",
        "Le commerçant a donné son accord à ce débit compensatoire.",
        "Merchant's agreement", "Accord du commerçant";
    "004", Inquiry, "Goods not received", "Marchandise non reçue",
        "The cardholder asks where their order is.", "Le titulaire demande où en est sa commande.",
        "Proof of delivery", "Preuve de livraison";
    "021", Inquiry, "Cancelled", "Annulation",
        "The cardholder says the order was cancelled.", "Le titulaire indique avoir annulé la commande.",
        "Cancellation policy; order history", "Conditions d'annulation ; historique de la commande";
    "024", Inquiry, "Damaged or defective", "Endommagé ou défectueux",
        "The cardholder says the goods were damaged or faulty.", "Le titulaire indique que la marchandise était endommagée ou défectueuse.",
        "Condition at dispatch; return policy", "État à l'expédition ; politique de retour";
    "062", Inquiry, "Credit posted as a charge", "Crédit passé en débit",
        "The cardholder expected a refund but sees a charge.", "Le titulaire attendait un remboursement mais voit un débit.",
        "Transaction record", "Relevé de la transaction";
    "063", Inquiry, "Dissatisfied", "Insatisfaction",
        "The cardholder is not satisfied with the goods or service.", "Le titulaire n'est pas satisfait de la marchandise ou du service.",
        "Description of the goods or service; correspondence", "Description du produit ou du service ; échanges avec le client";
    "127", Inquiry, "No knowledge of the charge", "Transaction non reconnue",
        "The cardholder does not recognise the charge.", "Le titulaire ne reconnaît pas la transaction.",
        "Receipt; order details", "Ticket ; détail de la commande";
    "154", Inquiry, "Cancelled", "Annulé",
        "The cardholder says the service was cancelled.", "Le titulaire indique que le service a été annulé.",
        "Cancellation terms", "Conditions d'annulation";
    "155", Inquiry, "Not received", "Non reçu",
        "The cardholder says the goods or service never came.", "Le titulaire indique n'avoir jamais reçu la marchandise ou le service.",
        "Proof of delivery or of the service provided", "Preuve de livraison ou de la prestation";
    "158", Inquiry, "Returned", "Retourné",
        "The cardholder says they sent the goods back.", "Le titulaire indique avoir retourné la marchandise.",
        "Return policy; proof of what was received back", "Politique de retour ; preuve de ce qui a été reçu en retour";
    "173", Inquiry, "Duplicate", "Doublon",
        "The cardholder thinks they were charged twice.", "Le titulaire pense avoir été débité deux fois.",
        "Records of both charges", "Relevés des deux débits";
    "175", Inquiry, "Requests a credit", "Demande de remboursement",
        "The cardholder asks for a refund.", "Le titulaire demande un remboursement.",
        "Refund policy; proof of any credit issued", "Politique de remboursement ; preuve d'un éventuel remboursement";
    "193", Inquiry, "Fraud", "Fraude",
        "The cardholder reports the charge as fraud.", "Le titulaire signale la transaction comme frauduleuse.",
        "Verification results; delivery details", "Résultats des contrôles ; détails de livraison";
    "680", Inquiry, "Overcharge", "Montant excessif",
        "The cardholder says they were charged too much.", "Le titulaire indique avoir été débité d'un montant trop élevé.",
        "Itemised receipt", "Ticket détaillé";
    "684", Inquiry, "Paid directly", "Payé directement",
        "The cardholder says they paid the merchant directly.", "Le titulaire indique avoir payé directement le commerçant.",
        "Proof the direct payment was for something else", "Preuve que le paiement direct concernait un autre achat";
    "691", Inquiry, "Signed receipt or itemisation requested", "Ticket signé ou détail demandé",
        "The cardholder asks for a copy of the signed receipt or an itemised bill.", "Le titulaire demande une copie du ticket signé ou une facture détaillée.",
        "Signed receipt; itemised bill", "Ticket signé ; facture détaillée";
    "693", Inquiry, "Vehicle rental damages", "Dommages sur véhicule de location",
        "The cardholder disputes a charge for damage to a rented vehicle.", "Le titulaire conteste des frais de dommages sur un véhicule loué.",
        "Rental agreement; damage report; repair estimate", "Contrat de location ; constat des dommages ; devis de réparation";
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every chargeback code and inquiry code the network lists (shared/REASON_CODES.md) is here.
    #[test]
    fn covers_the_networks_reference_list() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/REASON_CODES.md");
        let text = std::fs::read_to_string(path).expect("shared/REASON_CODES.md beside the project");
        let mut listed = 0;
        for line in text.lines().filter(|line| line.starts_with("| ") && !line.starts_with("| code")) {
            let code = line.split('|').nth(1).unwrap().trim();
            if code.chars().all(|c| c == '-') {
                continue;
            }
            let reason = find(code).unwrap_or_else(|| panic!("{code} is missing"));
            assert_eq!(reason.kind, CodeKind::Chargeback, "{code}");
            listed += 1;
        }
        assert_eq!(listed, ALL.iter().filter(|r| r.kind == CodeKind::Chargeback).count());
        let inquiry_list = text.split("for example").nth(1).expect("inquiry codes paragraph");
        let inquiry_list = inquiry_list.split("Facts").next().unwrap();
        for word in inquiry_list.split_whitespace() {
            if word.len() == 3 && word.chars().all(|c| c.is_ascii_digit()) {
                assert_eq!(find(word).map(|r| r.kind), Some(CodeKind::Inquiry), "{word}");
            }
        }
    }

    #[test]
    fn every_code_is_explained_in_both_languages() {
        for reason in ALL {
            assert!(!reason.label_en.is_empty() && !reason.label_fr.is_empty(), "{}", reason.code);
            assert!(!reason.explanation_en.is_empty() && !reason.explanation_fr.is_empty(), "{}", reason.code);
            assert_eq!(
                reason.document_list(Locale::fr).len(),
                reason.document_list(Locale::en).len(),
                "{}",
                reason.code
            );
        }
        assert_eq!(find(NO_REPLY).unwrap().grouping(), "inquiry_related");
        assert_eq!(find("F24").unwrap().grouping(), "fraud");
    }
}

/// Writes every code into the `reason_codes` table (new ones added, changed texts updated), so
/// that cases can name them on any database, demo or not. Run at start-up, after the migrations.
#[cfg(feature = "ssr")]
pub async fn store(connection: &mut sqlx::AnyConnection) -> Result<(), sqlx::Error> {
    for reason in ALL {
        let row = super::store::ReasonCodeRow {
            code: reason.code,
            kind: reason.kind.as_str(),
            grouping: reason.grouping(),
            label_en: reason.label_en,
            label_fr: reason.label_fr,
            explanation_en: reason.explanation_en,
            explanation_fr: reason.explanation_fr,
            documents_en: reason.documents_en,
            documents_fr: reason.documents_fr,
        };
        super::store::upsert_reason_code(connection, &row).await?;
    }
    Ok(())
}
