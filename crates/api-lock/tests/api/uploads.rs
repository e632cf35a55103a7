//! Seed 001 uploads: parameters, the upload itself, serving the file.

use serde_json::json;
use thingstead_testkit::TestApp;

const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

async fn upload(app: &TestApp, ticket: &str, bytes: Vec<u8>) -> thingstead_testkit::Reply {
    let form = reqwest::multipart::Form::new()
        .text("ticket", ticket.to_owned())
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name("client-name.png"),
        );
    app.send(
        app.http
            .post(app.url("/v1/common/file/localUpload"))
            .multipart(form),
    )
    .await
}

pub async fn uploads_store_real_images_once(app: TestApp) {
    let token = app.code_login_lock("13900000020", "p").await;
    let me = app
        .post_auth("/v1/user/detail", json!({}), &token)
        .await
        .body["data"]["id"]
        .as_i64()
        .unwrap();
    let params = |size: usize| json!({"module": "avatar", "userId": me, "filename": "abc.png", "size": size});
    let r = app
        .post_auth("/v1/common/file/getUploadParams", params(PNG.len()), &token)
        .await;
    assert_eq!(r.body["errorCode"], 0, "{:?}", r.body);
    let d = &r.body["data"];
    assert_eq!(d["uploadUrl"], app.url("/v1/common/file/localUpload"));
    assert_eq!(d["fileField"], "file");
    let ticket = d["formData"]["ticket"].as_str().unwrap().to_owned();
    let file_url = d["fileUrl"].as_str().unwrap().to_owned();
    assert!(file_url.starts_with(&app.url("/v1/common/file/avatar/")));
    assert!(
        !file_url.contains("abc"),
        "stored names are generated: {file_url}"
    );

    // Not an image: refused, and the ticket stays usable.
    let r = upload(&app, &ticket, b"<svg onload=alert(1)>".to_vec()).await;
    assert_eq!((r.status, r.body["errorCode"].as_i64()), (415, Some(415)));
    // Larger than declared.
    let mut big = PNG.to_vec();
    big.extend_from_slice(&[0; 64]);
    let r = upload(&app, &ticket, big).await;
    assert_eq!((r.status, r.body["errorCode"].as_i64()), (413, Some(413)));
    // Before the upload the file is not there.
    assert_eq!(app.send(app.http.get(&file_url)).await.status, 404);

    let r = upload(&app, &ticket, PNG.to_vec()).await;
    assert_eq!(r.body["errorCode"], 0, "{:?}", r.body);
    assert_eq!(r.body["data"]["fileUrl"], file_url.as_str());
    let got = app.http.get(&file_url).send().await.unwrap();
    assert_eq!(got.status(), 200);
    assert_eq!(got.headers()["content-type"], "image/png");
    assert_eq!(got.bytes().await.unwrap().as_ref(), PNG);

    // Single use.
    let r = upload(&app, &ticket, PNG.to_vec()).await;
    assert_eq!(r.body["errorCode"], 1004);
    let r = upload(&app, "made-up-ticket", PNG.to_vec()).await;
    assert_eq!(r.body["errorCode"], 1004);

    // Over the image cap at request time.
    let r = app
        .post_auth(
            "/v1/common/file/getUploadParams",
            params(50 * 1024 * 1024),
            &token,
        )
        .await;
    assert_eq!((r.status, r.body["errorCode"].as_i64()), (413, Some(413)));
    // An image module refuses a non-image name.
    let r = app
        .post_auth(
            "/v1/common/file/getUploadParams",
            json!({"module": "avatar", "userId": me, "filename": "x.exe", "size": 10}),
            &token,
        )
        .await;
    assert_eq!(r.body["errorCode"], 415);
    // Paths that are not generated names are not found.
    for path in [
        "/v1/common/file/avatar/..%2F..%2Fthingstead.db",
        "/v1/common/file/nope/x.png",
        "/v1/common/file/avatar/abc.png",
    ] {
        assert_eq!(
            app.send(app.http.get(app.url(path))).await.status,
            404,
            "{path}"
        );
    }
}

pub async fn upload_params_check_module_fields(app: TestApp) {
    let token = app.code_login_lock("13900000021", "p").await;
    // module=auth needs no session.
    let r = app
        .post(
            "/v1/common/file/getUploadParams",
            json!({"module": "auth", "account": "13900000021", "filename": "id.jpg", "size": 100}),
            &[],
        )
        .await;
    assert_eq!(r.body["errorCode"], 0, "{:?}", r.body);
    // Others need one.
    let r = app
        .post(
            "/v1/common/file/getUploadParams",
            json!({"module": "avatar", "userId": 1, "filename": "a.png", "size": 100}),
            &[],
        )
        .await;
    assert_eq!(r.body["errorCode"], 401);
    // Another user's id answers like a missing one.
    let r = app
        .post_auth(
            "/v1/common/file/getUploadParams",
            json!({"module": "avatar", "userId": 987654, "filename": "a.png", "size": 100}),
            &token,
        )
        .await;
    assert_eq!(r.body["errorCode"], 404);
    let cases = [
        (
            json!({"module": "lock", "filename": "a.png", "size": 1}),
            "lockId",
        ),
        (
            json!({"module": "lock_fingerprint", "filename": "f.bin", "size": 1}),
            "fingerprintId",
        ),
        (
            json!({"module": "lock_identity_card", "filename": "f.bin", "size": 1}),
            "identityCardId",
        ),
        (
            json!({"module": "lock_keyboard_pwd", "filename": "f.bin", "size": 1}),
            "keyboardPwdId",
        ),
        (
            json!({"module": "lock_key", "filename": "f.bin", "size": 1}),
            "keyId",
        ),
        (
            json!({"module": "app", "platform": "ios", "filename": "a.ipa", "size": 1}),
            "version",
        ),
        (
            json!({"module": "app", "version": "v0.0.1", "platform": "symbian", "filename": "a.ipa", "size": 1}),
            "platform",
        ),
        (
            json!({"module": "lock", "lockId": 1, "filename": "a.png", "size": 0}),
            "size",
        ),
        (
            json!({"module": "lock", "lockId": 1, "filename": "noext", "size": 10}),
            "filename",
        ),
    ];
    for (body, field) in cases {
        let r = app
            .post_auth("/v1/common/file/getUploadParams", body.clone(), &token)
            .await;
        assert_eq!(r.body["errorCode"], 400, "{body}: {:?}", r.body);
        assert!(
            r.body["errorMsg"].as_str().unwrap().contains(field),
            "{body}: {:?}",
            r.body
        );
    }
    for body in [
        json!({"module": "lock", "lockId": 500, "filename": "a.png", "size": 10}),
        json!({"module": "lock_key", "keyId": 400, "filename": "k.dat", "size": 10}),
        json!({"module": "app", "version": "v0.0.1", "platform": "android", "filename": "a.apk", "size": 10}),
    ] {
        let r = app
            .post_auth("/v1/common/file/getUploadParams", body.clone(), &token)
            .await;
        assert_eq!(r.body["errorCode"], 0, "{body}: {:?}", r.body);
    }
}
