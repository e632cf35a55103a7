//! A webhook receiver on `127.0.0.1:0`: records every JSON body POSTed to
//! it, answering 200 or, when told to, a failure status or nothing at all.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Json;
use axum::http::StatusCode;
use axum::routing::post;
use serde_json::Value;

/// What the receiver answers to the next calls.
#[derive(Debug, Clone, Copy)]
pub enum Answer {
    Status(u16),
    /// Never answers (the caller times out).
    Hang,
}

#[derive(Default)]
struct State {
    calls: Mutex<Vec<(Instant, Value)>>,
    script: Mutex<VecDeque<Answer>>,
    arrived: tokio::sync::Notify,
}

/// A running receiver; it stops when dropped with the test's runtime.
#[derive(Clone)]
pub struct Hook {
    pub url: String,
    state: Arc<State>,
}

impl Hook {
    pub async fn start() -> Hook {
        let state = Arc::new(State::default());
        let s = state.clone();
        let app = axum::Router::new().route(
            "/hook",
            post(move |Json(body): Json<Value>| {
                let s = s.clone();
                async move {
                    s.calls.lock().unwrap().push((Instant::now(), body));
                    s.arrived.notify_waiters();
                    let next = s.script.lock().unwrap().pop_front();
                    match next {
                        None => StatusCode::OK,
                        Some(Answer::Status(code)) => {
                            StatusCode::from_u16(code).unwrap_or(StatusCode::OK)
                        }
                        Some(Answer::Hang) => {
                            tokio::time::sleep(Duration::from_secs(3600)).await;
                            StatusCode::OK
                        }
                    }
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Hook {
            url: format!("http://{addr}/hook"),
            state,
        }
    }

    /// The next calls get these answers, in order; later ones get 200.
    pub fn answer_next(&self, answers: &[Answer]) {
        self.state
            .script
            .lock()
            .unwrap()
            .extend(answers.iter().copied());
    }

    /// Every body received so far.
    pub fn calls(&self) -> Vec<Value> {
        self.state
            .calls
            .lock()
            .unwrap()
            .iter()
            .map(|(_, b)| b.clone())
            .collect()
    }

    /// When each call arrived.
    pub fn arrivals(&self) -> Vec<Instant> {
        self.state
            .calls
            .lock()
            .unwrap()
            .iter()
            .map(|(t, _)| *t)
            .collect()
    }

    /// Waits until at least `n` calls arrived, at most `timeout`; returns
    /// the calls so far either way.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Value> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let arrived = self.state.arrived.notified();
            let calls = self.calls();
            if calls.len() >= n {
                return calls;
            }
            if tokio::time::timeout_at(deadline, arrived).await.is_err() {
                return self.calls();
            }
        }
    }
}
