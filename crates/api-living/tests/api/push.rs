//! Push channels: bound, moved, unbound, and ended with their session.

use sea_orm::{ConnectionTrait, Database, Statement};

use super::*;

/// `user_id` of each push channel with this id, read from the database.
async fn owners(app: &TestApp, channel: &str) -> Vec<i64> {
    let conn = Database::connect(&app.database_url).await.unwrap();
    let backend = conn.get_database_backend();
    let rows = conn
        .query_all_raw(Statement::from_string(
            backend,
            format!("SELECT user_id FROM push_channels WHERE channel = '{channel}'"),
        ))
        .await
        .unwrap();
    let _ = conn.close().await;
    rows.iter()
        .map(|r| r.try_get::<i64>("", "user_id").unwrap())
        .collect()
}

pub async fn push_channels_move_and_end_with_the_session(app: TestApp) {
    let a = user(&app, "13950000001").await;
    let b = user(&app, "13950000002").await;
    let bind = |u: &User, id: &str, kind: &str| {
        let (app, t) = (&app, u.token.clone());
        let params = json!({"deviceId": id, "deviceType": kind});
        async move { ok(app, "/uc/bindPushChannel", &t, params).await }
    };
    bind(&a, "phone-x", "iOS").await;
    assert_eq!(
        owners(&app, "phone-x").await,
        vec![a.id.parse::<i64>().unwrap()]
    );
    // The same installation signs in as B: it moves.
    bind(&b, "phone-x", "ios").await;
    assert_eq!(
        owners(&app, "phone-x").await,
        vec![b.id.parse::<i64>().unwrap()]
    );
    // A cannot unbind what is no longer A's; it answers the same.
    ok(
        &app,
        "/uc/unbindPushChannel",
        &a.token,
        json!({"deviceId": "phone-x"}),
    )
    .await;
    assert_eq!(owners(&app, "phone-x").await.len(), 1);
    ok(
        &app,
        "/uc/unbindPushChannel",
        &b.token,
        json!({"deviceId": "phone-x"}),
    )
    .await;
    assert!(owners(&app, "phone-x").await.is_empty());
    // A channel bound from a session ends with it.
    let l = lock_user(&app, "13950000003", "term-1").await;
    bind(&l, "phone-y", "ANDROID").await;
    assert_eq!(
        owners(&app, "phone-y").await,
        vec![l.id.parse::<i64>().unwrap()]
    );
    end_terminal_sessions(&app, &l.token).await;
    assert!(owners(&app, "phone-y").await.is_empty());
}
