//! The import's transaction and how it replaces partners of record on
//! PostgreSQL.
//!
//! Why this differs from SQLite: a batch's (agreement, partner) pairs are
//! bound as two arrays; the planner needs fresh statistics while the
//! tables grow; a long import is exempt from the idle and statement
//! timeouts meant for requests.

use kontor_core::StoreResult;
use kontor_store_sql::backend::ImportWrites;
use kontor_store_sql::{Backend, Ctx};
use sqlx::{PgConnection, Pool, Postgres, Transaction};
use time::OffsetDateTime;

use crate::PgStore;
use crate::rows::ms;

impl ImportWrites for PgStore {
    async fn begin_import_transaction(&self) -> StoreResult<Transaction<'static, Postgres>> {
        let mut tx = self.write().await?;
        // References may point forward in the file; they are checked by the
        // importer and by PostgreSQL at commit (the keys are DEFERRABLE).
        // A long import must not be cut off as an idle transaction between
        // batches, nor by the statement timeout meant for requests.
        sqlx::query("SET CONSTRAINTS ALL DEFERRED")
            .execute(&mut *tx)
            .await
            .ctx("failed to defer foreign keys")?;
        sqlx::query("SET LOCAL idle_in_transaction_session_timeout = 0")
            .execute(&mut *tx)
            .await
            .ctx("failed to lift the idle timeout")?;
        sqlx::query("SET LOCAL statement_timeout = 0")
            .execute(&mut *tx)
            .await
            .ctx("failed to lift the statement timeout")?;
        Ok(tx)
    }

    async fn replace_imported_partners(
        conn: &mut PgConnection,
        pairs: &[(&str, &str)],
        at: OffsetDateTime,
        batch: u64,
    ) -> StoreResult<()> {
        // The tables grow under the import's feet: with statistics of the
        // empty tables the planner would scan partner history whole for
        // every batch. ANALYZE inside the transaction counts its own rows;
        // at 1, 10, 100, … batches it costs next to nothing.
        if batch
            .to_string()
            .trim_start_matches('1')
            .bytes()
            .all(|b| b == b'0')
        {
            sqlx::query("ANALYZE agreements, partner_assignments")
                .execute(&mut *conn)
                .await
                .ctx("failed to refresh statistics")?;
        }
        let (agreements, partners): (Vec<&str>, Vec<&str>) = pairs.iter().copied().unzip();
        // Close assignments no longer listed, open the ones not yet current;
        // an unchanged partner set writes nothing (re-import is a no-op).
        // The batch's pairs are bound as two arrays: a staging table
        // emptied with DELETE after every batch kept every dead row until
        // the commit, and each batch scanned them all (an import of 600k
        // agreements took 4.7 times as long as one of 300k).
        sqlx::query(
            "WITH t AS (SELECT * FROM UNNEST($2::text[], $3::text[]) AS t (agreement_number, partner_csn)) \
             UPDATE partner_assignments SET valid_to = $1 WHERE valid_to IS NULL \
             AND agreement_number IN (SELECT agreement_number FROM t) \
             AND (agreement_number, partner_csn) NOT IN (SELECT agreement_number, partner_csn FROM t)",
        )
        .bind(ms(at))
        .bind(&agreements)
        .bind(&partners)
        .execute(&mut *conn)
        .await
        .ctx("failed to close replaced assignments")?;
        sqlx::query(
            "INSERT INTO partner_assignments (agreement_number, partner_csn, valid_from, source) \
             SELECT t.agreement_number, t.partner_csn, $1, 'import' \
             FROM UNNEST($2::text[], $3::text[]) AS t (agreement_number, partner_csn) \
             WHERE NOT EXISTS (SELECT 1 FROM partner_assignments pa WHERE pa.agreement_number = t.agreement_number \
                               AND pa.partner_csn = t.partner_csn AND pa.valid_to IS NULL)",
        )
        .bind(ms(at))
        .bind(&agreements)
        .bind(&partners)
        .execute(&mut *conn)
        .await
        .ctx("failed to open imported assignments")?;
        Ok(())
    }

    async fn import_committed(pool: &Pool<Postgres>) {
        // A large import changes the tables' statistics at once; without
        // fresh ones the planner may pick sequential scans until autovacuum
        // gets to them.
        if let Err(e) =
            sqlx::query("ANALYZE partners, accounts, users, agreements, partner_assignments")
                .execute(pool)
                .await
        {
            tracing::warn!(error = %e, "ANALYZE after import failed");
        }
    }
}
