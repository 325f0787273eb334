//! The import's transaction and how it replaces partners of record on
//! SQLite.
//!
//! Why this differs from PostgreSQL: a batch's (agreement, partner) pairs
//! are staged in a temporary table that two set-based statements join
//! (PostgreSQL binds them as two arrays; SQLite has none), and foreign
//! keys are deferred by a pragma.

use kontor_core::StoreResult;
use kontor_store_sql::backend::ImportWrites;
use kontor_store_sql::{Backend, Ctx};
use sqlx::{Pool, QueryBuilder, Sqlite, SqliteConnection, Transaction};
use time::OffsetDateTime;

use crate::SqliteStore;
use crate::rows::ms;

/// Pairs per multi-row INSERT into the staging table.
const CHUNK: usize = 2000;

impl ImportWrites for SqliteStore {
    async fn begin_import_transaction(&self) -> StoreResult<Transaction<'static, Sqlite>> {
        let mut tx = self.write().await?;
        // References may point forward in the file; they are checked by the
        // importer and by SQLite at commit.
        sqlx::query("PRAGMA defer_foreign_keys = ON")
            .execute(&mut *tx)
            .await
            .ctx("failed to defer foreign keys")?;
        sqlx::query("CREATE TEMP TABLE IF NOT EXISTS import_partners (agreement_number TEXT NOT NULL, partner_csn TEXT NOT NULL)")
            .execute(&mut *tx)
            .await
            .ctx("failed to create staging table")?;
        sqlx::query("DELETE FROM temp.import_partners")
            .execute(&mut *tx)
            .await
            .ctx("failed to clear staging table")?;
        Ok(tx)
    }

    async fn replace_imported_partners(
        conn: &mut SqliteConnection,
        pairs: &[(&str, &str)],
        at: OffsetDateTime,
        _batch: u64,
    ) -> StoreResult<()> {
        for chunk in pairs.chunks(CHUNK) {
            let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
                "INSERT INTO temp.import_partners (agreement_number, partner_csn) ",
            );
            q.push_values(chunk, |mut b, (n, p)| {
                b.push_bind(n.to_string()).push_bind(p.to_string());
            });
            q.build()
                .execute(&mut *conn)
                .await
                .ctx("failed to stage partners")?;
        }
        sqlx::query(
            "UPDATE partner_assignments SET valid_to = $1 WHERE valid_to IS NULL \
             AND agreement_number IN (SELECT agreement_number FROM temp.import_partners) \
             AND NOT EXISTS (SELECT 1 FROM temp.import_partners t WHERE t.agreement_number = partner_assignments.agreement_number \
                             AND t.partner_csn = partner_assignments.partner_csn)",
        )
        .bind(ms(at))
        .execute(&mut *conn)
        .await
        .ctx("failed to close replaced assignments")?;
        sqlx::query(
            "INSERT INTO partner_assignments (agreement_number, partner_csn, valid_from, source) \
             SELECT t.agreement_number, t.partner_csn, $1, 'import' FROM temp.import_partners t \
             WHERE NOT EXISTS (SELECT 1 FROM partner_assignments pa WHERE pa.agreement_number = t.agreement_number \
                               AND pa.partner_csn = t.partner_csn AND pa.valid_to IS NULL)",
        )
        .bind(ms(at))
        .execute(&mut *conn)
        .await
        .ctx("failed to open imported assignments")?;
        sqlx::query("DELETE FROM temp.import_partners")
            .execute(&mut *conn)
            .await
            .ctx("failed to clear staged partners")?;
        Ok(())
    }

    /// SQLite plans from the schema, not from statistics.
    async fn import_committed(_: &Pool<Sqlite>) {}
}
