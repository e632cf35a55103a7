//! Devices for gateway tests: created through the project API, with the
//! certificate the project API shows.

use serde_json::json;

use crate::TestApp;

/// A device of the default project and its certificate.
#[derive(Debug, Clone)]
pub struct TestDevice {
    pub id: String,
    pub name: String,
    /// The MQTT user name.
    pub access_token: String,
    /// The MQTT password.
    pub project_key: String,
}

impl TestApp {
    /// Creates a device named `name` in the default project
    /// (`POST /api/v1/device`) and reads its certificate
    /// (`GET /api/v1/device/<id>/certificate`), with the app token `token`.
    pub async fn create_device(&self, token: &str, name: &str) -> TestDevice {
        let r = self
            .post_auth("/api/v1/device", json!({"name": name}), token)
            .await;
        assert_eq!(r.body["result"], true, "create device: {:?}", r.body);
        let id = r.body["info"]["id"].as_str().unwrap().to_owned();
        let (access_token, project_key) = self.device_certificate(token, &id).await;
        TestDevice {
            id,
            name: name.to_owned(),
            access_token,
            project_key,
        }
    }

    /// A device's access token and project key.
    pub async fn device_certificate(&self, token: &str, id: &str) -> (String, String) {
        let r = self
            .get_auth(&format!("/api/v1/device/{id}/certificate"), token)
            .await;
        assert_eq!(r.body["result"], true, "certificate: {:?}", r.body);
        let info = &r.body["info"];
        (
            info["access_token"].as_str().unwrap().to_owned(),
            info["project_key"].as_str().unwrap().to_owned(),
        )
    }
}
