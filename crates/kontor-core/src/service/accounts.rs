//! The vendor's directory of customer accounts (#19): find an account by
//! name or CSN, and see on one page what the back office needs of it — its
//! agreements, its people, its support cases. Vendor staff only; each read
//! is scoped to the one account (R1 holds inside the back office too).

use super::Services;
use crate::domain::agreement::{Account, Agreement};
use crate::domain::ids::Csn;
use crate::domain::permissions::Permission;
use crate::domain::roles::Actor;
use crate::domain::support::SupportCase;
use crate::error::{Error, Result};
use crate::store::{AgreementFilter, Scope, UserRecord};

/// Agreements shown on an account's page; the list links to the rest.
pub const OVERVIEW_AGREEMENTS: u32 = 25;

/// One account as the back office sees it.
#[derive(Debug, Clone)]
pub struct AccountOverview {
    /// The account.
    pub account: Account,
    /// Its first agreements by number (at most [`OVERVIEW_AGREEMENTS`]).
    pub agreements: Vec<Agreement>,
    /// Whether it has more than those.
    pub more_agreements: bool,
    /// Its people, by email (removed ones included, marked).
    pub people: Vec<UserRecord>,
    /// Its support cases, newest first.
    pub cases: Vec<SupportCase>,
}

impl Services {
    /// Accounts whose CSN or name contains `q`, by CSN, a page after
    /// `after`.
    pub async fn find_accounts(
        &self,
        actor: &Actor,
        q: Option<&str>,
        after: Option<&Csn>,
        limit: u32,
    ) -> Result<Vec<Account>> {
        Error::unless_may(actor, Permission::UseBackOffice)?;
        let q = q.map(str::trim).filter(|q| !q.is_empty());
        Ok(self.store.accounts(q, after, limit).await?)
    }

    /// An account with its agreements, people and cases.
    pub async fn account_overview(&self, actor: &Actor, csn: &Csn) -> Result<AccountOverview> {
        Error::unless_may(actor, Permission::UseBackOffice)?;
        let account = self
            .store
            .account(csn)
            .await?
            .ok_or(Error::NotFound("account"))?;
        let scope = Scope::Account(csn.clone());
        let mut agreements = self
            .store
            .agreements(
                &scope,
                &AgreementFilter {
                    limit: OVERVIEW_AGREEMENTS + 1,
                    ..AgreementFilter::default()
                },
            )
            .await?;
        let more_agreements = agreements.len() > OVERVIEW_AGREEMENTS as usize;
        agreements.truncate(OVERVIEW_AGREEMENTS as usize);
        Ok(AccountOverview {
            account,
            agreements,
            more_agreements,
            people: self.store.account_users(csn).await?,
            cases: self.store.cases(&scope, false, 50).await?,
        })
    }
}
