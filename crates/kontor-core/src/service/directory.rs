//! The partner directory, run by the vendor's operators.

use serde_json::json;

use super::Services;
use crate::domain::agreement::{Partner, PartnerStatus};
use crate::domain::audit::{AuditAction, AuditEntry, By};
use crate::domain::ids::Csn;
use crate::domain::permissions::Permission;
use crate::domain::roles::Actor;
use crate::domain::values::{CountryCode, EmailAddress};
use crate::error::{Error, FieldError, Result};

/// A directory entry as typed into a form.
#[derive(Debug, Clone, Default)]
pub struct PartnerInput {
    /// CSN (10 digits).
    pub csn: String,
    /// Company name.
    pub name: String,
    /// City.
    pub city: String,
    /// Country code.
    pub country: String,
    /// `active` or `inactive`.
    pub status: String,
    /// Notification address.
    pub email: String,
}

impl PartnerInput {
    /// Validates every field, listing each problem (R2).
    pub fn parse(&self) -> Result<Partner> {
        let mut errors = Vec::new();
        let csn = Csn::parse(&self.csn)
            .map_err(|e| {
                errors.push(FieldError::coded(
                    "csn",
                    "csn-format",
                    Vec::new(),
                    format!("expected {}", e.expected),
                ))
            })
            .ok();
        let text = |errors: &mut Vec<FieldError>, field: &str, v: &str, max: usize| {
            let v = v.trim();
            if v.is_empty() || v.chars().count() > max {
                errors.push(FieldError::coded(
                    field,
                    "text-length",
                    vec![("max", max.to_string())],
                    format!("expected 1–{max} characters"),
                ));
            }
            v.to_owned()
        };
        let name = text(&mut errors, "name", &self.name, 200);
        let city = text(&mut errors, "city", &self.city, 100);
        let country = CountryCode::parse(&self.country).map(String::from);
        if country.is_none() {
            errors.push(FieldError::coded(
                "country",
                "country-format",
                Vec::new(),
                "expected an ISO 3166-1 alpha-2 country code such as DE",
            ));
        }
        let status = PartnerStatus::parse(&self.status);
        if status.is_none() {
            errors.push(FieldError::coded(
                "status",
                "partner-status",
                Vec::new(),
                "expected active or inactive",
            ));
        }
        let email = EmailAddress::parse(&self.email).map(String::from);
        if email.is_none() {
            errors.push(FieldError::coded(
                "email",
                "email-format",
                Vec::new(),
                "expected an email address such as orders@partner.example",
            ));
        }
        match (csn, country, status, email) {
            (Some(csn), Some(country), Some(status), Some(email)) if errors.is_empty() => {
                Ok(Partner {
                    csn,
                    name,
                    city,
                    country,
                    status,
                    email,
                })
            }
            _ => Err(Error::Invalid(errors)),
        }
    }
}

impl Services {
    /// Adds (`create`) or changes a directory entry. Operators only;
    /// deactivating is a change of status (history keeps the partner).
    pub async fn save_partner(
        &self,
        actor: &Actor,
        input: &PartnerInput,
        create: bool,
    ) -> Result<Partner> {
        Error::unless_may(actor, Permission::ManagePartners)?;
        let partner = input.parse()?;
        let before = self.store.partner(&partner.csn).await?;
        match (&before, create) {
            (Some(_), true) => {
                return Err(Error::Invalid(vec![FieldError::coded(
                    "csn",
                    "partner-exists",
                    vec![("csn", partner.csn.to_string())],
                    format!("a partner with CSN {} already exists", partner.csn),
                )]));
            }
            (None, false) => return Err(Error::NotFound("partner")),
            _ => {}
        }
        let now = self.clock.now();
        let audit = AuditEntry::new(now, By::Person(actor), AuditAction::PartnerSaved)
            .change(json!(before), json!(partner));
        self.store.save_partner(&partner, &audit).await?;
        self.cache.clear();
        Ok(partner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_invalid_field_is_listed() {
        let input = PartnerInput {
            csn: "51".into(),
            country: "Germany".into(),
            status: "gone".into(),
            email: "x".into(),
            ..Default::default()
        };
        let Err(Error::Invalid(errors)) = input.parse() else {
            panic!("should fail")
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["csn", "name", "city", "country", "status", "email"]
        );
    }

    #[test]
    fn a_valid_entry_is_normalised() {
        let input = PartnerInput {
            csn: "5100-000 009".into(),
            name: " Nord CAD ".into(),
            city: "Hamburg".into(),
            country: "DE".into(),
            status: "active".into(),
            email: "Info@NordCAD.example".into(),
        };
        let p = input.parse().unwrap();
        assert_eq!(p.csn.as_str(), "5100000009");
        assert_eq!(p.name, "Nord CAD");
        assert_eq!(p.email, "info@nordcad.example");
    }
}
