//! `thingstead project device-type …` and `device-group …` as a real
//! process: a company sets up its types and groups without a console.

use std::process::Command;

use serde_json::Value;
use thingstead_testkit::temp_dir;

const BIN: &str = env!("CARGO_BIN_EXE_thingstead");

/// Runs `thingstead project <args> --data-dir <dir>`; exit code, stdout as
/// JSON (`Null` when not JSON), stderr.
pub(crate) fn project(dir: &std::path::Path, args: &[&str]) -> (i32, Value, String) {
    let out = Command::new(BIN)
        .arg("project")
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .args(["--log-level", "warn"])
        .env_remove("RUST_LOG")
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (
        out.status.code().unwrap_or(-1),
        json,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

pub(crate) fn ok(dir: &std::path::Path, args: &[&str]) -> Value {
    let (code, json, err) = project(dir, args);
    assert_eq!(code, 0, "{args:?}: {err}");
    json
}

#[test]
fn device_types_and_groups_from_the_command_line() {
    let dir = temp_dir("thingstead-cli-devices");
    ok(&dir, &["create", "--name", "Acme"]);

    let t = ok(
        &dir,
        &[
            "device-type",
            "create",
            "--name",
            "Lamp",
            "--tag",
            "floor=2",
            "--conn-type",
            "tcp",
        ],
    );
    let type_id = t["id"].as_str().unwrap().to_owned();
    assert_eq!(t["tags"]["floor"], "2");
    assert_eq!(t["conn_type"], "tcp");
    assert_eq!(t["type_key"].as_str().unwrap().len(), 20);
    let def = ok(
        &dir,
        &[
            "device-type",
            "define-info",
            &type_id,
            "--info-type",
            "number",
            "--name",
            "Floor",
            "--options",
            r#"{"unit":"m"}"#,
        ],
    );
    assert_eq!(def["options"]["unit"], "m");
    let infos = ok(&dir, &["device-type", "infos", &type_id]);
    assert_eq!(infos["items"].as_array().unwrap().len(), 3);
    ok(
        &dir,
        &["device-type", "update", &type_id, "--name", "Lamp 2"],
    );
    let list = ok(&dir, &["device-type", "list"]);
    assert_eq!(list["items"][0]["name"], "Lamp 2");
    assert_eq!(list["items"][0]["device_count"], 0);
    let (code, _, err) = project(&dir, &["device-type", "create", "--conn-type", "coap"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("cannot create the device type: name is required"),
        "{err}"
    );

    let a = ok(&dir, &["device-group", "create", "--name", "Building A"]);
    let a_id = a["id"].as_str().unwrap().to_owned();
    let b = ok(
        &dir,
        &[
            "device-group",
            "create",
            "--name",
            "Floor 1",
            "--parent",
            &a_id,
        ],
    );
    let tree = ok(&dir, &["device-group", "list"]);
    assert_eq!(tree["items"][0]["children"][0]["id"], b["id"]);
    let (code, _, err) = project(&dir, &["device-group", "delete", &a_id]);
    assert_eq!(code, 1);
    assert!(
        err.contains(&format!(
            "cannot delete device group {a_id}: still in use by sub-groups"
        )),
        "{err}"
    );
    let b_id = b["id"].as_str().unwrap();
    ok(&dir, &["device-group", "update", b_id, "--parent", ""]);
    ok(&dir, &["device-group", "delete", &a_id]);
    let tree = ok(&dir, &["device-group", "list"]);
    assert_eq!(tree["items"].as_array().unwrap().len(), 1);

    let info_id = def["id"].as_str().unwrap();
    ok(&dir, &["device-type", "delete-info", &type_id, info_id]);
    ok(&dir, &["device-type", "delete", &type_id]);
    let (code, _, err) = project(&dir, &["device-type", "delete", &type_id]);
    assert_eq!(code, 1);
    assert!(err.contains("device type not found"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
