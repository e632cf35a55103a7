//! The OpenAPI document and its browsable page.

use serde_json::Value;
use thingstead_testkit::TestApp;

/// Every route of seeds 000, 001 and 003 and of the HTTP device API, with its method.
pub const ROUTES: &[(&str, &str)] = &[
    ("post", "/user/customer/user/reset/password"),
    ("post", "/user/customer/user/register"),
    ("get", "/user/sms/customer/user/phone/sms/code"),
    ("get", "/user/customer/user/detail"),
    ("get", "/user/user/property/alarm-switch"),
    ("put", "/user/user/property/alarm-switch"),
    ("put", "/user/customer/user/update"),
    ("post", "/user/customer/user/provision"),
    ("post", "/user/customer/user/login"),
    ("get", "/user/customer/user/events"),
    ("post", "/v1/common/file/getUploadParams"),
    ("post", "/v1/common/file/localUpload"),
    ("get", "/v1/common/file/{module}/{name}"),
    ("post", "/v1/common/sendValidationCode"),
    ("post", "/v1/common/sendValidationCodeAuth"),
    ("post", "/v1/user/pwdLogin"),
    ("post", "/v1/user/codeLogin"),
    ("post", "/v1/user/resetPassword"),
    ("post", "/v1/user/changePassword"),
    ("post", "/v1/user/updateUserInfo"),
    ("post", "/v1/user/detail"),
    ("post", "/v1/user/getBindMobileDevice"),
    ("post", "/v1/user/unbindMobileDevice"),
    ("post", "/api/v1/access_token"),
    ("post", "/api/v1/admin_login"),
    ("get", "/api/v1/project"),
    ("get", "/api/v1/admin"),
    ("get", "/api/v1/apps"),
    ("post", "/api/v1/apps"),
    ("delete", "/api/v1/app/{app_id}"),
    ("get", "/api/v1/admins"),
    ("post", "/api/v1/admins"),
    ("delete", "/api/v1/admin/{admin_id}"),
    ("put", "/api/v1/admin/{admin_id}/pwd"),
    // Seed 003: device statistics, types, groups, devices, extend infos.
    ("get", "/api/v1/devices_stat"),
    ("get", "/api/v1/devices_alarm_stat"),
    ("get", "/api/v1/device_types"),
    ("post", "/api/v1/device_type"),
    ("put", "/api/v1/device_type/{device_type_id}"),
    ("delete", "/api/v1/device_type/{device_type_id}"),
    ("get", "/api/v1/device_type/{device_type_id}/extend_infos"),
    ("post", "/api/v1/device_type/{device_type_id}/extend_info"),
    (
        "delete",
        "/api/v1/device_type/{device_type_id}/extend_info/{info_id}",
    ),
    ("get", "/api/v1/device_groups_tree"),
    ("post", "/api/v1/device_group"),
    ("put", "/api/v1/device_group/{group_id}"),
    ("delete", "/api/v1/device_group/{group_id}"),
    ("get", "/api/v1/devices"),
    ("post", "/api/v1/device"),
    ("get", "/api/v1/device/{device_id}"),
    ("delete", "/api/v1/device/{device_id}"),
    ("put", "/api/v1/device/{device_id}/info"),
    ("put", "/api/v1/device/{device_id}/tags"),
    ("post", "/api/v1/device/{device_id}/tags_remove"),
    ("put", "/api/v1/device/{device_id}/groups"),
    ("get", "/api/v1/device/{device_id}/certificate"),
    ("post", "/api/v1/device/{device_id}/certificate/rotate"),
    ("get", "/api/v1/device/{device_id}/extend_infos"),
    ("post", "/api/v1/device/{device_id}/extend_infos"),
    ("post", "/api/v1/device/{device_id}/standard_infos"),
    ("get", "/api/v1/customers"),
    ("get", "/api/v1/customer_roles"),
    ("post", "/api/v1/customer_role"),
    ("put", "/api/v1/customer_role/{role_id}"),
    ("delete", "/api/v1/customer_role/{role_id}"),
    ("get", "/api/v1/customer/{customer_id}"),
    ("post", "/api/v1/customer"),
    ("put", "/api/v1/customer/{customer_id}/info"),
    ("put", "/api/v1/customer/{customer_id}/pwd"),
    ("put", "/api/v1/customer/{customer_id}/tags"),
    ("delete", "/api/v1/customer/{customer_id}"),
    ("post", "/api/v1/customer_auth"),
    ("get", "/api/v1/device/{device_id}/customers"),
    ("get", "/api/v1/customer/{customer_id}/devices"),
    ("post", "/api/v1/customer/{customer_id}/devices"),
    (
        "delete",
        "/api/v1/customer/{customer_id}/device/{device_id}",
    ),
    // Seed 003: device data and device control.
    ("get", "/api/v1/device/{device_id}/attributes"),
    ("get", "/api/v1/device/{device_id}/attributes_raw"),
    (
        "get",
        "/api/v1/device/{device_id}/attribute/{identifier}/series",
    ),
    ("post", "/api/v1/device/{device_id}/attributes_remove"),
    ("get", "/api/v1/alarm_logs"),
    ("get", "/api/v1/device/{device_id}/alarm_logs"),
    ("get", "/api/v1/device_type/{device_type_id}/alarm_rules"),
    ("post", "/api/v1/device_type/{device_type_id}/alarm_rules"),
    (
        "put",
        "/api/v1/device_type/{device_type_id}/alarm_rule/{rule_id}",
    ),
    (
        "delete",
        "/api/v1/device_type/{device_type_id}/alarm_rule/{rule_id}",
    ),
    ("post", "/api/v1/alarm/{alarm_id}/acknowledge"),
    ("post", "/api/v1/alarm/{alarm_id}/clear"),
    ("post", "/api/v1/control/device/{device_id}/attributes"),
    ("put", "/api/v1/control/device/{device_id}/attributes"),
    ("post", "/api/v1/control/device/{device_id}/command"),
    (
        "post",
        "/api/v1/control/device/{device_id}/data/{identifier}/set",
    ),
    // The HTTP device API.
    ("post", "/device/v1/{access_token}/attributes"),
    ("get", "/device/v1/{access_token}/attributes"),
    ("post", "/device/v1/{access_token}/event/report"),
    ("post", "/device/v1/certificate"),
    ("post", "/device/v1/{access_token}/provision"),
    ("post", "/api/v1/device/{device_id}/sub_devices"),
    // Seed 002, at its own paths.
    ("post", "/uc/listBindingByAccount"),
    ("post", "/uc/listBindingByDev"),
    ("post", "/uc/sortDevices"),
    ("post", "/uc/generateShareQrCode"),
    ("post", "/uc/scanBindByShareQrCode"),
    ("post", "/uc/shareDevicesAndScenes"),
    ("post", "/uc/getShareNoticeList"),
    ("post", "/uc/cancelShare"),
    ("post", "/uc/confirmShare"),
    ("post", "/uc/setDeviceNickName"),
    ("post", "/uc/unbindAccountAndDev"),
    ("post", "/uc/getByAccountAndDev"),
    ("post", "/uc/unbindByManager"),
    ("post", "/uc/clearShareNoticeList"),
    ("post", "/uc/bindPushChannel"),
    ("post", "/uc/unbindPushChannel"),
    ("post", "/uc/unbindAccountAndScene"),
    ("post", "/subdevices/list"),
    ("post", "/scene/create"),
    ("post", "/scene/list"),
    ("post", "/scene/delete"),
    ("post", "/scene/fire"),
];

/// Whether a reply is some dialect's "no such route".
fn is_unrouted(status: u16, body: &Value) -> bool {
    status == 404
        && (body.to_string().contains("no such endpoint") || body["message"] == "Request invalid")
}

pub async fn openapi_lists_every_route(app: TestApp) {
    let doc = app.get("/openapi.json", &[]).await;
    assert_eq!(doc.status, 200);
    assert!(
        doc.body["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        doc.body["openapi"]
    );
    let paths = doc.body["paths"].as_object().unwrap();
    // Every seed route is documented.
    for (method, path) in ROUTES {
        assert!(
            paths.get(*path).and_then(|p| p.get(*method)).is_some(),
            "{method} {path} missing from /openapi.json"
        );
    }
    // Every documented route is served, and is a seed route.
    let mut documented = 0;
    for (path, item) in paths {
        for method in item.as_object().unwrap().keys() {
            if !["get", "post", "put", "delete", "patch"].contains(&method.as_str()) {
                continue;
            }
            documented += 1;
            assert!(
                ROUTES.contains(&(method.as_str(), path.as_str())),
                "{method} {path} is documented but not a seed route"
            );
            let url = app.url(
                &path
                    .replace("{module}", "avatar")
                    .replace("{name}", "x.png"),
            );
            let req = app
                .http
                .request(method.to_uppercase().parse().unwrap(), url);
            let r = app.send(req).await;
            assert!(
                !is_unrouted(r.status, &r.body) || path.contains('{'),
                "{method} {path} is documented but not served"
            );
        }
    }
    assert_eq!(documented, ROUTES.len());
    // And an undocumented route is not served.
    let r = app
        .post("/v1/user/logoutEverything", serde_json::json!({}), &[])
        .await;
    assert!(is_unrouted(r.status, &r.body));
}

pub async fn swagger_ui_is_served_locally(app: TestApp) {
    let r = app.http.get(app.url("/docs/")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.to_lowercase().contains("swagger"), "{html}");
    assert!(!html.contains("cdn."), "assets come from this server");
}
