//! A PostgreSQL database of its own for one test.

use sea_orm::{ConnectionTrait, Database};

pub(crate) struct TempDatabase {
    pub url: String,
    admin_url: String,
    name: String,
}

impl TempDatabase {
    /// Creates `ts_test_<random>` on the server of `THINGSTEAD_TEST_POSTGRES_URL`.
    /// `None` (and a note, once) when the variable is not set; a server that
    /// does not answer fails the test.
    pub(crate) async fn create() -> Option<TempDatabase> {
        let Ok(admin_url) = std::env::var("THINGSTEAD_TEST_POSTGRES_URL") else {
            crate::say_skipped();
            return None;
        };
        let name = format!("ts_test_{}", crate::random_suffix());
        let conn = Database::connect(&admin_url)
            .await
            .unwrap_or_else(|e| panic!("THINGSTEAD_TEST_POSTGRES_URL does not answer: {e}"));
        conn.execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create test database");
        let _ = conn.close().await;
        let url = match admin_url.rsplit_once('/') {
            Some((server, _)) => format!("{server}/{name}"),
            None => panic!("THINGSTEAD_TEST_POSTGRES_URL must end in /<database>"),
        };
        Some(TempDatabase {
            url,
            admin_url,
            name,
        })
    }

    /// Drops the database, closing whatever still holds it.
    pub(crate) fn drop_now(self) {
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async {
                if let Ok(conn) = Database::connect(&self.admin_url).await {
                    let _ = conn
                        .execute_unprepared(&format!(
                            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                            self.name
                        ))
                        .await;
                    let _ = conn.close().await;
                }
            });
        })
        .join();
    }
}
