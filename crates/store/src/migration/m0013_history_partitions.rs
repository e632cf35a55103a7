//! PostgreSQL: attribute history partitioned by day (UTC), so that old
//! history is dropped a partition at a time (`store/src/retention.rs`)
//! instead of row by row. The table keeps its name, columns and index; the
//! rows move over. A default partition takes rows outside every day
//! partition (the maintenance keeps days ahead, so it stays empty). SQLite
//! keeps the plain table.

use sea_orm::DbBackend;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Days made ahead of today by the migration (the maintenance keeps it so).
pub(crate) const DAYS_AHEAD: i32 = 3;

const UP: &str = r#"
ALTER TABLE device_attribute_history RENAME TO device_attribute_history_unpartitioned;
ALTER TABLE device_attribute_history_unpartitioned
    RENAME CONSTRAINT device_attribute_history_pkey TO device_attribute_history_unpartitioned_pkey;
ALTER TABLE device_attribute_history_unpartitioned
    RENAME CONSTRAINT fk_device_attribute_history_device_id TO fk_device_attribute_history_unpartitioned;
ALTER INDEX idx_device_attribute_history_device_identifier_ts
    RENAME TO idx_device_attribute_history_unpartitioned;
CREATE SEQUENCE device_attribute_history_ids;
SELECT setval('device_attribute_history_ids',
    COALESCE((SELECT max(id) FROM device_attribute_history_unpartitioned), 0) + 1, false);
CREATE TABLE device_attribute_history (
    id BIGINT NOT NULL DEFAULT nextval('device_attribute_history_ids'),
    device_id BIGINT NOT NULL,
    identifier VARCHAR NOT NULL,
    ts BIGINT NOT NULL,
    value TEXT NOT NULL,
    data_type VARCHAR NOT NULL,
    CONSTRAINT device_attribute_history_pkey PRIMARY KEY (id, ts),
    CONSTRAINT fk_device_attribute_history_device_id FOREIGN KEY (device_id)
        REFERENCES devices (id) ON DELETE CASCADE
) PARTITION BY RANGE (ts);
ALTER SEQUENCE device_attribute_history_ids OWNED BY device_attribute_history.id;
CREATE TABLE device_attribute_history_default PARTITION OF device_attribute_history DEFAULT;
DO $$
DECLARE
    d date;
    last date := (now() AT TIME ZONE 'UTC')::date + DAYS_AHEAD;
BEGIN
    SELECT COALESCE((to_timestamp(min(ts) / 1000.0) AT TIME ZONE 'UTC')::date,
                    (now() AT TIME ZONE 'UTC')::date)
      INTO d FROM device_attribute_history_unpartitioned;
    -- Older rows (if any) stay in the default partition.
    d := GREATEST(d, (now() AT TIME ZONE 'UTC')::date - 400);
    WHILE d <= last LOOP
        EXECUTE format(
            'CREATE TABLE %I PARTITION OF device_attribute_history FOR VALUES FROM (%s) TO (%s)',
            'device_attribute_history_p' || to_char(d, 'YYYYMMDD'),
            (extract(epoch FROM d::timestamp) * 1000)::bigint,
            (extract(epoch FROM (d + 1)::timestamp) * 1000)::bigint);
        d := d + 1;
    END LOOP;
END $$;
INSERT INTO device_attribute_history (id, device_id, identifier, ts, value, data_type)
    SELECT id, device_id, identifier, ts, value, data_type FROM device_attribute_history_unpartitioned;
DROP TABLE device_attribute_history_unpartitioned;
CREATE INDEX idx_device_attribute_history_device_identifier_ts
    ON device_attribute_history (device_id, identifier, ts);
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        let sql = UP.replace("DAYS_AHEAD", &DAYS_AHEAD.to_string());
        manager.get_connection().execute_unprepared(&sql).await?;
        Ok(())
    }

    /// Back to one plain table (PostgreSQL).
    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE TABLE device_attribute_history_plain (LIKE device_attribute_history INCLUDING DEFAULTS);
                 INSERT INTO device_attribute_history_plain SELECT * FROM device_attribute_history;
                 ALTER SEQUENCE device_attribute_history_ids OWNED BY NONE;
                 DROP TABLE device_attribute_history;
                 ALTER TABLE device_attribute_history_plain RENAME TO device_attribute_history;
                 ALTER SEQUENCE device_attribute_history_ids OWNED BY device_attribute_history.id;
                 ALTER TABLE device_attribute_history ADD PRIMARY KEY (id);
                 ALTER TABLE device_attribute_history ADD CONSTRAINT fk_device_attribute_history_device_id
                     FOREIGN KEY (device_id) REFERENCES devices (id) ON DELETE CASCADE;
                 CREATE INDEX idx_device_attribute_history_device_identifier_ts
                     ON device_attribute_history (device_id, identifier, ts);",
            )
            .await?;
        Ok(())
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
