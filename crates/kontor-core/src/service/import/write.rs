//! Each collection's record, once checked (see `records`), written into the
//! import session; references to what is not stored yet are checked when
//! the whole file has been read.

use serde_json::{Map, Value};

use crate::domain::agreement::{Agreement, Partner};
use crate::domain::ids::Csn;
use crate::domain::roles::{Tenant, UserId};
use crate::error::{FieldError, StoreError};
use crate::store::NewUser;

use super::fields::{FieldErrors, not_an_object};
use super::records::{AccountRecord, RawAccount, RawAgreement, RawPartner, RawUser, UserRecord};
use super::{DeferredRef, Importer, RecordAt};

impl Importer<'_> {
    pub(super) async fn add_partner(
        &mut self,
        at: RecordAt,
        obj: &Map<String, Value>,
    ) -> Result<(), StoreError> {
        match Partner::try_from(RawPartner(obj)) {
            Ok(partner) => {
                self.session.upsert_partner(&partner).await?;
                self.report.partners += 1;
            }
            Err(errors) => self.push_errors(at, errors),
        }
        Ok(())
    }

    pub(super) async fn add_account(
        &mut self,
        at: RecordAt,
        obj: &Map<String, Value>,
    ) -> Result<(), StoreError> {
        let AccountRecord { account, users } = match AccountRecord::try_from(RawAccount(obj)) {
            Ok(record) => record,
            Err(errors) => {
                self.push_errors(at, errors);
                return Ok(());
            }
        };
        self.session.upsert_account(&account).await?;
        self.report.accounts += 1;
        let mut errors = Vec::new();
        for (i, user) in users.into_iter().enumerate() {
            match user.as_object() {
                Some(u) => {
                    let prefix = format!("users[{i}].");
                    errors.extend(self.add_user(at, u, &prefix, Some(&account.csn)).await?);
                }
                None => errors.push(not_an_object(format!("users[{i}]"))),
            }
        }
        self.push_errors(at, errors);
        Ok(())
    }

    /// Checks and writes one user (a `users` record, or one of the users of
    /// `account`); returns the field errors.
    pub(super) async fn add_user(
        &mut self,
        at: RecordAt,
        obj: &Map<String, Value>,
        prefix: &str,
        account: Option<&Csn>,
    ) -> Result<FieldErrors, StoreError> {
        let user = match UserRecord::try_from(RawUser {
            obj,
            prefix,
            account,
        }) {
            Ok(user) => user,
            Err(errors) => return Ok(errors),
        };
        self.defer_unknown_tenant(at, prefix, account.is_some(), &user.tenant)
            .await?;
        let password_hash = match user.password {
            Some(password) => self.password_hash(&user.email, password).await?,
            None => None,
        };
        let new = NewUser {
            id: UserId(uuid::Uuid::now_v7()),
            email: user.email,
            name: user.name,
            role: user.role,
            tenant: user.tenant,
            lang: user.lang,
            password_hash,
            created_at: self.now,
        };
        match self.session.upsert_user(&new).await {
            Ok(()) => {
                self.report.users += 1;
                Ok(Vec::new())
            }
            Err(StoreError::Conflict(what)) => Ok(vec![user_conflict(prefix, what)]),
            Err(e) => Err(e),
        }
    }

    /// A user's partner, or the account a `users` record names, may come
    /// later in the file. A user inside an account belongs to the account
    /// just written.
    async fn defer_unknown_tenant(
        &mut self,
        at: RecordAt,
        prefix: &str,
        in_account: bool,
        tenant: &Tenant,
    ) -> Result<(), StoreError> {
        match tenant {
            Tenant::Partner(p) => {
                self.check_later(at, format!("{prefix}partner"), p, false)
                    .await
            }
            Tenant::Account(a) if !in_account => {
                self.check_later(at, format!("{prefix}account"), a, true)
                    .await
            }
            _ => Ok(()),
        }
    }

    /// The hash to store for a password the import sets: none when the user
    /// already has this password, so that a re-import changes nothing.
    async fn password_hash(
        &mut self,
        email: &str,
        password: &str,
    ) -> Result<Option<String>, StoreError> {
        match self.session.password_hash(email).await? {
            Some(stored) if self.hasher.verify(password, &stored) => Ok(None),
            _ => Ok(Some(self.hasher.hash(password).map_err(StoreError::Other)?)),
        }
    }

    pub(super) async fn add_agreement(
        &mut self,
        at: RecordAt,
        obj: &Map<String, Value>,
    ) -> Result<(), StoreError> {
        let agreement = match Agreement::try_from(RawAgreement(obj)) {
            Ok(agreement) => agreement,
            Err(errors) => {
                self.push_errors(at, errors);
                return Ok(());
            }
        };
        self.check_later(at, "account".into(), &agreement.account, true)
            .await?;
        for (i, p) in agreement.partners.iter().enumerate() {
            self.check_later(at, format!("partners[{i}]"), p, false)
                .await?;
        }
        self.session.upsert_agreement(&agreement, self.now).await?;
        self.report.agreements += 1;
        Ok(())
    }

    /// Unless the account (or partner) `csn` is stored already, notes the
    /// reference for [`Importer::finish`], as the file may still bring it.
    async fn check_later(
        &mut self,
        at: RecordAt,
        field: String,
        csn: &Csn,
        is_account: bool,
    ) -> Result<(), StoreError> {
        if !self.exists(csn, is_account).await? {
            self.deferred.push(DeferredRef {
                at,
                field,
                csn: csn.clone(),
                is_account,
            });
        }
        Ok(())
    }

    /// Whether the account (or partner) `csn` is in the database or was
    /// imported before in this file.
    pub(super) async fn exists(&mut self, csn: &Csn, is_account: bool) -> Result<bool, StoreError> {
        if is_account {
            self.session.account_exists(csn).await
        } else {
            self.session.partner_exists(csn).await
        }
    }
}

/// The store refused a user because it clashes with one already there: a
/// second primary_admin of the account, or another user's `what`.
fn user_conflict(prefix: &str, what: &str) -> FieldError {
    if what == "primary_admin" {
        let role = format!("{prefix}role");
        FieldError::coded(
            role,
            "import-primary-admin-taken",
            Vec::new(),
            "the account already has another primary_admin",
        )
    } else {
        let email = format!("{prefix}email");
        FieldError::coded(
            email,
            "import-conflict",
            vec![("what", what.to_owned())],
            format!("conflicts with an existing {what}"),
        )
    }
}
