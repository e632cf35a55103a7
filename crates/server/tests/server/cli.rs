//! `thingstead project …` as a real process: a company sets itself up from
//! nothing, then the server serves what the commands made.

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};
use thingstead_testkit::temp_dir;

const BIN: &str = env!("CARGO_BIN_EXE_thingstead");

/// Runs `thingstead project <args> --data-dir <dir>` with no other
/// configuration; returns the exit code, stdout and stderr.
fn project(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let mut cmd = Command::new(BIN);
    cmd.arg("project")
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .current_dir(dir)
        .env_remove("RUST_LOG")
        .env("NO_COLOR", "1");
    for (key, _) in std::env::vars() {
        if key.starts_with("THINGSTEAD_") {
            cmd.env_remove(key);
        }
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A command that succeeds: its JSON output.
#[track_caller]
fn ok(dir: &Path, args: &[&str]) -> Value {
    let (code, stdout, stderr) = project(dir, args);
    assert_eq!(code, 0, "{args:?}: {stdout} {stderr}");
    assert_eq!(stderr, "", "{args:?}: nothing but the answer");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{args:?}: {e}: {stdout}"))
}

/// A command that is refused: exit status 1, one sentence on stderr.
#[track_caller]
fn refused(dir: &Path, args: &[&str], sentence: &str) {
    let (code, stdout, stderr) = project(dir, args);
    assert_eq!(code, 1, "{args:?}: {stdout} {stderr}");
    assert_eq!(stdout, "", "{args:?}");
    assert_eq!(stderr.trim_end(), sentence, "{args:?}");
}

#[tokio::test]
async fn project_commands_set_a_company_up() {
    let dir = temp_dir("thingstead-cli");
    refused(
        &dir,
        &["app", "list"],
        "cannot use the default project: there is none yet; create one with `thingstead project create --name <NAME>` or pass --project",
    );
    // On an empty database the first project becomes the default one.
    let acme = ok(&dir, &["create", "--name", "Acme"]);
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(
        keys(&acme),
        [
            "admin",
            "api_app",
            "mobile_app",
            "project_id",
            "project_key"
        ]
    );
    assert_eq!(acme["admin"]["account"], "admin");
    let other = ok(&dir, &["create", "--name", "Other"]);
    let other_id = other["project_id"].as_str().unwrap();
    let list = ok(&dir, &["list"]);
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(
        (&items[0]["name"], &items[0]["default"]),
        (&json!("Acme"), &json!(true))
    );
    assert_eq!(
        (&items[1]["name"], &items[1]["default"]),
        (&json!("Other"), &json!(false))
    );
    refused(
        &dir,
        &["create", "--name", " "],
        "cannot create the project: name is required",
    );

    // API apps, in the default project unless --project says otherwise.
    let backend = ok(&dir, &["app", "create", "--name", "Backend"]);
    assert_eq!(backend["secret_key"].as_str().unwrap().len(), 32);
    let apps = ok(&dir, &["app", "list"]);
    assert_eq!(apps["items"].as_array().unwrap().len(), 2);
    assert!(apps["items"][1].get("secret_key").is_none());
    let other_apps = ok(&dir, &["app", "list", "--project", other_id]);
    assert_eq!(other_apps["items"][0]["app_id"], other["api_app"]["app_id"]);
    refused(
        &dir,
        &["app", "list", "--project", "999"],
        "cannot use project 999: project not found",
    );
    refused(
        &dir,
        &["app", "delete", "nope"],
        "cannot delete the app nope: app not found",
    );
    let backend_app_id = backend["app_id"].as_str().unwrap();
    refused(
        &dir,
        &["app", "delete", backend_app_id, "--project", other_id],
        &format!("cannot delete the app {backend_app_id}: app not found"),
    );

    // Admins.
    let ops = ok(
        &dir,
        &["admin", "create", "--account", "ops", "--name", "Ops"],
    );
    assert_eq!(
        ops["password"].as_str().unwrap().len(),
        20,
        "generated and printed"
    );
    let ops_id = ops["id"].as_str().unwrap();
    refused(
        &dir,
        &["admin", "create", "--account", "ops"],
        "cannot create the admin: account already exists",
    );
    refused(
        &dir,
        &[
            "admin",
            "create",
            "--account",
            "ops2",
            "--password",
            "short",
        ],
        "cannot create the admin: password must be 6 to 128 characters",
    );
    let set = ok(
        &dir,
        &["admin", "password", ops_id, "--password", "new-secret-1"],
    );
    assert_eq!(
        set,
        json!({"id": ops_id}),
        "a given password is not printed"
    );
    refused(
        &dir,
        &["admin", "password", ops_id, "--project", other_id],
        &format!("cannot set the password of admin {ops_id}: admin not found"),
    );
    assert_eq!(
        ok(&dir, &["admin", "list"])["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // The server on the same data directory serves what the commands made.
    let server = thingstead_server::start(super::settings(&dir))
        .await
        .unwrap();
    assert!(
        server.credentials().is_none(),
        "Acme is already the default project"
    );
    let http = reqwest::Client::new();
    let base = format!("http://{}/api/v1", server.http_addr());
    let r: Value = http
        .post(format!("{base}/access_token"))
        .json(
            &json!({"app_id": backend["app_id"], "access_key": backend["access_key"],
                      "secret_key": backend["secret_key"]}),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = r["info"]["access_token"].as_str().unwrap();
    let r: Value = http
        .get(format!("{base}/project"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["info"]["name"], "Acme");
    let r: Value = http
        .post(format!("{base}/admin_login"))
        .json(&json!({"app_id": backend["app_id"], "account": "ops", "password": "new-secret-1"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["result"], true, "{r}");
    server.shutdown().await;

    // Deleting: the last app and admin of a project stay.
    ok(&dir, &["app", "delete", backend_app_id]);
    let first_app = acme["api_app"]["app_id"].as_str().unwrap();
    refused(
        &dir,
        &["app", "delete", first_app],
        &format!(
            "cannot delete the app {first_app}: still in use by the project (its last API app)"
        ),
    );
    ok(&dir, &["admin", "delete", ops_id]);
    let admins = ok(&dir, &["admin", "list"]);
    let admin_id = admins["items"][0]["id"].as_str().unwrap();
    refused(
        &dir,
        &["admin", "delete", admin_id],
        &format!(
            "cannot delete the admin {admin_id}: still in use by the project (its last admin)"
        ),
    );
    let _ = std::fs::remove_dir_all(&dir);
}
