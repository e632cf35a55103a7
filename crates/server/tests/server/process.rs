//! The `thingstead` binary as a real process: exit codes, start-up
//! failures, SIGTERM, and what its logs never contain.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use thingstead_testkit::temp_dir;

const BIN: &str = env!("CARGO_BIN_EXE_thingstead");

/// A running `thingstead` with its output collected line by line.
pub struct Proc {
    child: Child,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Proc {
    /// Runs the binary with `args`; `serve` gets device listeners on free
    /// local ports unless the arguments name them.
    pub fn start(args: &[&str]) -> Proc {
        let mut args: Vec<&str> = args.to_vec();
        if args.first() == Some(&"serve") {
            for flag in ["--mqtt-listen", "--tcp-listen"] {
                if !args.contains(&flag) {
                    args.extend([flag, "127.0.0.1:0"]);
                }
            }
        }
        let mut child = Command::new(BIN)
            .args(&args)
            .env_remove("RUST_LOG")
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, lines) = mpsc::channel();
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
        }
        Proc {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Waits for a line containing `needle`; returns it.
    pub fn wait_for(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Ok(line) = self.lines.recv_timeout(Duration::from_millis(200)) {
                self.seen.push(line.clone());
                if line.contains(needle) {
                    return line;
                }
            }
        }
        panic!("no line with {needle:?} in {:#?}", self.seen);
    }

    /// The address the server says it is ready on.
    fn ready_addr(&mut self) -> String {
        let line = self.wait_for("127.0.0.1:");
        let start = line.find("127.0.0.1:").unwrap();
        line[start..]
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ':')
            .collect()
    }

    pub fn signal(&self, sig: &str) {
        let ok = Command::new("kill")
            .args([sig, &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(ok.success());
    }

    /// Waits for exit; returns the code and all output.
    pub fn finish(mut self) -> (i32, String) {
        let deadline = Instant::now() + Duration::from_secs(60);
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(Instant::now() < deadline, "did not exit: {:#?}", self.seen);
            std::thread::sleep(Duration::from_millis(50));
        };
        std::thread::sleep(Duration::from_millis(200));
        self.seen.extend(self.lines.try_iter());
        (status.code().unwrap_or(-1), self.seen.join("\n"))
    }
}

fn assert_one_clear_sentence(code: i32, output: &str, setting: &str) {
    assert_eq!(code, 1, "{output}");
    assert!(output.contains(setting), "should name {setting}: {output}");
    assert!(
        !output.contains("panicked") && !output.to_lowercase().contains("backtrace"),
        "{output}"
    );
}

#[test]
fn port_in_use_exits_1_naming_the_setting() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let dir = temp_dir("thingstead-port");
    let p = Proc::start(&[
        "serve",
        "--http-listen",
        &addr,
        "--data-dir",
        dir.to_str().unwrap(),
    ]);
    let (code, out) = p.finish();
    assert_one_clear_sentence(code, &out, "--http-listen");
}

#[test]
fn device_ports_in_use_exit_1_naming_the_setting() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    for flag in ["--mqtt-listen", "--tcp-listen"] {
        let dir = temp_dir("thingstead-port");
        let p = Proc::start(&[
            "serve",
            "--http-listen",
            "127.0.0.1:0",
            flag,
            &addr,
            "--data-dir",
            dir.to_str().unwrap(),
        ]);
        let (code, out) = p.finish();
        assert_one_clear_sentence(code, &out, flag);
    }
}

#[test]
fn unreachable_database_exits_1_naming_the_setting() {
    let dir = temp_dir("thingstead-db");
    let p = Proc::start(&[
        "serve",
        "--http-listen",
        "127.0.0.1:0",
        "--data-dir",
        dir.to_str().unwrap(),
        "--database-url",
        "postgres://postgres@127.0.0.1:1/nothing",
    ]);
    let (code, out) = p.finish();
    assert_one_clear_sentence(code, &out, "--database-url");
}

#[test]
fn unwritable_data_dir_exits_1_naming_the_setting() {
    let dir = temp_dir("thingstead-file");
    let file = dir.join("a-file");
    std::fs::write(&file, b"x").unwrap();
    let under_file = file.join("data");
    let p = Proc::start(&[
        "serve",
        "--http-listen",
        "127.0.0.1:0",
        "--data-dir",
        under_file.to_str().unwrap(),
    ]);
    let (code, out) = p.finish();
    assert_one_clear_sentence(code, &out, "--data-dir");
}

#[test]
fn migrate_runs_alone() {
    let dir = temp_dir("thingstead-migrate");
    let p = Proc::start(&["migrate", "--data-dir", dir.to_str().unwrap()]);
    let (code, out) = p.finish();
    assert_eq!(code, 0, "{out}");
    assert!(dir.join("thingstead.db").exists(), "{out}");
    assert!(
        !dir.join("initial-credentials.json").exists(),
        "migrate creates no project"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_exits_0_and_logs_hold_no_secrets() {
    let dir = temp_dir("thingstead-proc");
    let mut p = Proc::start(&[
        "serve",
        "--http-listen",
        "127.0.0.1:0",
        "--data-dir",
        dir.to_str().unwrap(),
    ]);
    let addr = p.ready_addr();
    let base = format!("http://{addr}");
    let http = reqwest::Client::new();
    assert_eq!(
        http.get(format!("{base}/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    let creds: Value =
        serde_json::from_slice(&std::fs::read(dir.join("initial-credentials.json")).unwrap())
            .unwrap();
    let ck = creds["mobile_app"]["client_key"].as_str().unwrap();
    let password = "Very-Secret-Password-42";
    let phone = "13700000002";
    http.get(format!(
        "{base}/user/sms/customer/user/phone/sms/code?clientKey={ck}&phone={phone}&useType=1"
    ))
    .send()
    .await
    .unwrap();
    let outbox = std::fs::read_to_string(dir.join("outbox.jsonl")).unwrap();
    let code = serde_json::from_str::<Value>(outbox.lines().last().unwrap()).unwrap()["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let reg: Value = http
        .post(format!("{base}/user/customer/user/register"))
        .json(&json!({"clientKey": ck, "phone": phone, "username": "sam", "password": password, "verifyCode": code}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(reg["code"], 200);
    let login: Value = http
        .post(format!("{base}/user/customer/user/login"))
        .json(&json!({"clientKey": ck, "phone": phone, "password": password}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["data"]["token"].as_str().unwrap().to_owned();
    let detail = http
        .get(format!("{base}/user/customer/user/detail"))
        .header("token", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(detail.status(), 200);
    p.wait_for("/user/customer/user/detail");

    p.signal("-TERM");
    let (exit, out) = p.finish();
    assert_eq!(exit, 0, "{out}");
    assert!(
        out.contains("POST") && out.contains("/user/customer/user/register") && out.contains("200"),
        "{out}"
    );
    let (_, random) = token.split_once('|').unwrap();
    for secret in [
        password,
        code.as_str(),
        random,
        creds["admin"]["password"].as_str().unwrap(),
    ] {
        let hits: Vec<&str> = out.lines().filter(|l| l.contains(secret)).collect();
        // The first start prints its credentials once, on purpose; nothing else may.
        let allowed = secret == creds["admin"]["password"].as_str().unwrap() && hits.len() <= 1;
        assert!(
            hits.is_empty() || allowed,
            "secret {secret:?} in log lines {hits:#?}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
