//! Seed 003 set-up: project tokens, a second project, and requests carrying
//! a bearer token.

use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};

use crate::{Reply, TestApp};

impl TestApp {
    /// An app token of the default project (`POST /api/v1/access_token`
    /// with `credentials["api_app"]`).
    pub async fn project_token(&self) -> String {
        self.project_token_for(&self.credentials).await
    }

    /// An admin token of the default project (`POST /api/v1/admin_login`
    /// with `credentials["admin"]`).
    pub async fn admin_token(&self) -> String {
        self.admin_token_for(&self.credentials).await
    }

    /// An app token for the project whose credentials are `creds` (the shape
    /// of `credentials` and of [`TestApp::second_project`]).
    pub async fn project_token_for(&self, creds: &Value) -> String {
        let app = &creds["api_app"];
        let r = self
            .post(
                "/api/v1/access_token",
                json!({"app_id": app["app_id"], "access_key": app["access_key"],
                       "secret_key": app["secret_key"]}),
                &[],
            )
            .await;
        assert_eq!(r.body["result"], true, "access_token: {:?}", r.body);
        r.body["info"]["access_token"].as_str().unwrap().to_owned()
    }

    /// An admin token for the project whose credentials are `creds`.
    pub async fn admin_token_for(&self, creds: &Value) -> String {
        let r = self
            .post(
                "/api/v1/admin_login",
                json!({"app_id": creds["api_app"]["app_id"],
                       "account": creds["admin"]["account"],
                       "password": creds["admin"]["password"]}),
                &[],
            )
            .await;
        assert_eq!(r.body["result"], true, "admin_login: {:?}", r.body);
        r.body["info"]["access_token"].as_str().unwrap().to_owned()
    }

    /// Creates another project on this server's database, as
    /// `thingstead project create` does, and returns its credentials
    /// (`project_id`, `project_key`, `admin`, `api_app`, `mobile_app`).
    pub async fn second_project(&self) -> Value {
        let settings: thingstead_server::Settings = serde_json::from_value(json!({
            "data_dir": self.data_dir,
            "database_url": self.database_url,
            "log_level": "warn",
        }))
        .unwrap();
        let name = format!("Project {}", crate::random_suffix());
        let creds = thingstead_server::project_cli::create_project(&settings, &name)
            .await
            .expect("a second project is created");
        serde_json::to_value(creds).unwrap()
    }

    /// Runs SQL on the server's database (to age a token, for example).
    pub async fn execute_sql(&self, sql: &str) {
        let conn = Database::connect(&self.database_url).await.unwrap();
        conn.execute_unprepared(sql).await.unwrap();
        let _ = conn.close().await;
    }

    /// POST a JSON body with `Authorization: Bearer <token>`.
    pub async fn post_json_auth(&self, path: &str, body: Value, token: &str) -> Reply {
        self.post_auth(path, body, token).await
    }

    /// POST a raw body (no `Content-Type`) with `Authorization: Bearer <token>`.
    pub async fn post_raw_auth(
        &self,
        path: &str,
        body: impl Into<reqwest::Body>,
        token: &str,
    ) -> Reply {
        let req = self.http.post(self.url(path)).bearer_auth(token).body(body);
        self.send(req).await
    }

    /// GET with `Authorization: Bearer <token>`.
    pub async fn get_auth(&self, path: &str, token: &str) -> Reply {
        let req = self.http.get(self.url(path)).bearer_auth(token);
        self.send(req).await
    }

    /// PUT a JSON body with `Authorization: Bearer <token>`.
    pub async fn put_auth(&self, path: &str, body: Value, token: &str) -> Reply {
        let req = self.http.put(self.url(path)).bearer_auth(token).json(&body);
        self.send(req).await
    }

    /// DELETE with `Authorization: Bearer <token>` and no body.
    pub async fn delete_auth(&self, path: &str, token: &str) -> Reply {
        let req = self.http.delete(self.url(path)).bearer_auth(token);
        self.send(req).await
    }

    /// DELETE a JSON body with `Authorization: Bearer <token>`.
    pub async fn delete_json_auth(&self, path: &str, body: Value, token: &str) -> Reply {
        let req = self
            .http
            .delete(self.url(path))
            .bearer_auth(token)
            .json(&body);
        self.send(req).await
    }
}
