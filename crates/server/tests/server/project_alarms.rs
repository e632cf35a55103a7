//! `thingstead project alarm-rules …` as a real process.

use thingstead_testkit::temp_dir;

use super::project_devices::{ok, project};

#[test]
fn alarm_rules_from_the_command_line() {
    let dir = temp_dir("thingstead-cli-alarms");
    ok(&dir, &["create", "--name", "Acme"]);
    let t = ok(&dir, &["device-type", "create", "--name", "Lock"]);
    let type_id = t["id"].as_str().unwrap().to_owned();

    let offline = ok(
        &dir,
        &[
            "alarm-rules",
            "add",
            "--type-id",
            &type_id,
            "--rule",
            r#"{"type": "offline", "offline_seconds": 300, "level": 2, "message": "${device_name} is offline"}"#,
        ],
    );
    assert_eq!(offline["type"], "offline");
    assert_eq!(offline["offline_seconds"], 300);
    let rule_id = offline["id"].as_str().unwrap().to_owned();
    ok(
        &dir,
        &[
            "alarm-rules",
            "add",
            "--type-id",
            &type_id,
            "--rule",
            r#"{"type": "event", "identifier": "tamper", "level": 3, "message": "tampered"}"#,
        ],
    );
    let listed = ok(&dir, &["alarm-rules", "list", "--type-id", &type_id]);
    assert_eq!(listed["items"].as_array().unwrap().len(), 2, "{listed}");

    let updated = ok(
        &dir,
        &[
            "alarm-rules",
            "update",
            "--type-id",
            &type_id,
            "--rule-id",
            &rule_id,
            "--rule",
            r#"{"type": "offline", "offline_seconds": 60, "message": "gone"}"#,
        ],
    );
    assert_eq!(updated["offline_seconds"], 60);
    assert_eq!(updated["level"], 1);

    // The type has reported no attribute yet: a comparison cannot name one.
    let (code, _, err) = project(
        &dir,
        &[
            "alarm-rules",
            "add",
            "--type-id",
            &type_id,
            "--rule",
            r#"{"identifier": "t", "operator": ">", "threshold": 30, "message": "hot"}"#,
        ],
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("identifier"), "{err}");
    let (code, _, err) = project(
        &dir,
        &[
            "alarm-rules",
            "add",
            "--type-id",
            &type_id,
            "--rule",
            "{not json",
        ],
    );
    assert_eq!(code, 1, "{err}");

    ok(
        &dir,
        &[
            "alarm-rules",
            "remove",
            "--type-id",
            &type_id,
            "--rule-id",
            &rule_id,
        ],
    );
    let listed = ok(&dir, &["alarm-rules", "list", "--type-id", &type_id]);
    assert_eq!(listed["items"].as_array().unwrap().len(), 1, "{listed}");
    let (code, _, err) = project(&dir, &["alarm-rules", "list", "--type-id", "999999"]);
    assert_eq!(code, 1, "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
