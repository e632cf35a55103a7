//! The device gateway against the real server: MQTT 3.1.1 and 5 clients
//! (rumqttc), raw sockets for what a well-behaved client never sends, and
//! the raw TCP endpoint; results read back through the project API.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod acl;
mod bad_input;
mod clients;
mod connect;
mod control;
mod raw;
mod reports;
mod subdevices;

use std::time::Duration;

use serde_json::Value;
use thingstead_testkit::{TestApp, TestDevice, on_both_backends};

use acl::*;
use bad_input::*;
use connect::*;
use control::*;
use reports::*;
use subdevices::*;

on_both_backends!(
    connect_with_certificate_v3_and_v5,
    wrong_credentials_are_refused_v3,
    wrong_credentials_are_refused_v5,
    a_second_connection_takes_over_v3,
    a_second_connection_takes_over_v5,
    a_draining_server_sends_devices_elsewhere_and_keeps_what_it_acknowledged,
    a_persistent_session_keeps_its_subscriptions,
    keep_alive_expiry_flips_online,
    foreign_publish_is_refused_v5,
    foreign_publish_closes_v3,
    foreign_and_wildcard_subscriptions_are_refused,
    qos1_report_is_readable_through_the_api,
    qos1_reports_sent_together_are_acknowledged_in_order,
    invalid_reports_get_a_result_and_change_nothing,
    attributes_get_answers_on_its_response_topic,
    push_arrives_on_attributes_push,
    command_round_trip_with_reply,
    custom_stream_over_mqtt,
    custom_stream_over_tcp,
    data_push_needs_a_connection_of_its_mode,
    malformed_packet_closes_only_that_connection,
    oversized_packet_closes_only_that_connection,
    gateway_reports_for_its_sub_devices,
    push_and_command_reach_sub_devices_through_the_gateway,
    gateway_topics_are_only_for_gateways,
);

/// How long a test waits for something that should happen at once.
pub const SOON: Duration = Duration::from_secs(10);

/// An app token and a fresh device.
pub async fn setup(app: &TestApp, name: &str) -> (String, TestDevice) {
    let token = app.project_token().await;
    let device = app.create_device(&token, name).await;
    (token, device)
}

/// `GET /api/v1/device/<id>` → `info.online`.
pub async fn online(app: &TestApp, token: &str, id: &str) -> bool {
    let r = app.get_auth(&format!("/api/v1/device/{id}"), token).await;
    assert_eq!(r.body["result"], true, "{:?}", r.body);
    r.body["info"]["online"].as_bool().unwrap()
}

/// Waits until `online` is `want`, at most `within`.
pub async fn wait_online(app: &TestApp, token: &str, id: &str, want: bool, within: Duration) {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        if online(app, token, id).await == want {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "device {id} did not become online={want} within {within:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// `GET /api/v1/device/<id>/attributes_raw` → `info`.
pub async fn attributes_raw(app: &TestApp, token: &str, id: &str) -> Value {
    let r = app
        .get_auth(&format!("/api/v1/device/{id}/attributes_raw"), token)
        .await;
    assert_eq!(r.body["result"], true, "{:?}", r.body);
    r.body["info"].clone()
}
