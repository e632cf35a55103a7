//! MQTT 3.1.1 and 5 clients driven step by step: each call polls the
//! client's event loop until the packet it waits for arrives.

use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use rumqttc::v5::mqttbytes::v5 as p5;
use rumqttc::{Event, Incoming, QoS};
use serde_json::Value;
use thingstead_testkit::TestDevice;

use crate::SOON;

fn client_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    format!(
        "test-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// An MQTT 3.1.1 device.
pub struct V3 {
    pub client: rumqttc::AsyncClient,
    pub events: rumqttc::EventLoop,
}

impl V3 {
    pub fn options(addr: SocketAddr, user: &str, password: &str) -> rumqttc::MqttOptions {
        let mut o = rumqttc::MqttOptions::new(client_id(), addr.ip().to_string(), addr.port());
        o.set_credentials(user, password);
        o.set_keep_alive(Duration::from_secs(30));
        o.set_max_packet_size(1024 * 1024, 1024 * 1024);
        o
    }

    /// Connects with `options`; the refusal code otherwise.
    pub async fn try_connect(
        options: rumqttc::MqttOptions,
    ) -> Result<(V3, bool), rumqttc::ConnectionError> {
        let (client, mut events) = rumqttc::AsyncClient::new(options, 16);
        loop {
            match tokio::time::timeout(SOON, events.poll())
                .await
                .expect("CONNACK in time")?
            {
                Event::Incoming(Incoming::ConnAck(ack)) => {
                    return Ok((V3 { client, events }, ack.session_present));
                }
                _ => continue,
            }
        }
    }

    pub async fn connect(addr: SocketAddr, device: &TestDevice) -> V3 {
        Self::try_connect(Self::options(
            addr,
            &device.access_token,
            &device.project_key,
        ))
        .await
        .expect("the device connects")
        .0
    }

    /// Polls until `pick` returns something.
    pub async fn wait<T>(&mut self, mut pick: impl FnMut(&Incoming) -> Option<T>) -> T {
        let deadline = tokio::time::Instant::now() + SOON;
        loop {
            let event = tokio::time::timeout_at(deadline, self.events.poll())
                .await
                .expect("the packet arrives in time")
                .expect("the connection stays up");
            if let Event::Incoming(packet) = event
                && let Some(found) = pick(&packet)
            {
                return found;
            }
        }
    }

    /// Subscribes and returns the SUBACK codes.
    pub async fn subscribe(&mut self, filter: &str) -> Vec<rumqttc::SubscribeReasonCode> {
        self.client
            .subscribe(filter, QoS::AtLeastOnce)
            .await
            .unwrap();
        self.wait(|p| match p {
            Incoming::SubAck(ack) => Some(ack.return_codes.clone()),
            _ => None,
        })
        .await
    }

    /// Publishes; at QoS 1 waits for the PUBACK.
    pub async fn publish(&mut self, topic: &str, qos: QoS, payload: impl Into<Vec<u8>>) {
        self.client
            .publish(topic, qos, false, payload)
            .await
            .unwrap();
        if qos == QoS::AtLeastOnce {
            self.wait(|p| matches!(p, Incoming::PubAck(_)).then_some(()))
                .await;
        } else {
            // Let the packet go out.
            let _ = tokio::time::timeout(Duration::from_millis(50), self.events.poll()).await;
        }
    }

    /// The next message on a topic matching `prefix`.
    pub async fn next_on(&mut self, prefix: &str) -> (String, Bytes) {
        self.wait(|p| match p {
            Incoming::Publish(m) if m.topic.starts_with(prefix) => {
                Some((m.topic.clone(), m.payload.clone()))
            }
            _ => None,
        })
        .await
    }

    /// The next JSON message on a topic matching `prefix`.
    pub async fn json_on(&mut self, prefix: &str) -> (String, Value) {
        let (topic, payload) = self.next_on(prefix).await;
        (topic, serde_json::from_slice(&payload).unwrap())
    }

    /// Polls until the connection fails; the error.
    pub async fn closed(&mut self) -> rumqttc::ConnectionError {
        let deadline = tokio::time::Instant::now() + SOON;
        loop {
            match tokio::time::timeout_at(deadline, self.events.poll())
                .await
                .expect("the server closes the connection in time")
            {
                Ok(_) => continue,
                Err(e) => return e,
            }
        }
    }
}

/// An MQTT 5 device.
pub struct V5 {
    pub client: rumqttc::v5::AsyncClient,
    pub events: rumqttc::v5::EventLoop,
}

impl V5 {
    pub fn options(addr: SocketAddr, user: &str, password: &str) -> rumqttc::v5::MqttOptions {
        let mut o = rumqttc::v5::MqttOptions::new(client_id(), addr.ip().to_string(), addr.port());
        o.set_credentials(user, password);
        o.set_keep_alive(Duration::from_secs(30));
        o
    }

    pub async fn try_connect(
        options: rumqttc::v5::MqttOptions,
    ) -> Result<(V5, p5::ConnAck), rumqttc::v5::ConnectionError> {
        let (client, mut events) = rumqttc::v5::AsyncClient::new(options, 16);
        loop {
            match tokio::time::timeout(SOON, events.poll())
                .await
                .expect("CONNACK in time")?
            {
                rumqttc::v5::Event::Incoming(p5::Packet::ConnAck(ack)) => {
                    return Ok((V5 { client, events }, ack));
                }
                _ => continue,
            }
        }
    }

    pub async fn connect(addr: SocketAddr, device: &TestDevice) -> V5 {
        Self::try_connect(Self::options(
            addr,
            &device.access_token,
            &device.project_key,
        ))
        .await
        .expect("the device connects")
        .0
    }

    pub async fn wait<T>(&mut self, mut pick: impl FnMut(&p5::Packet) -> Option<T>) -> T {
        let deadline = tokio::time::Instant::now() + SOON;
        loop {
            let event = tokio::time::timeout_at(deadline, self.events.poll())
                .await
                .expect("the packet arrives in time")
                .expect("the connection stays up");
            if let rumqttc::v5::Event::Incoming(packet) = event
                && let Some(found) = pick(&packet)
            {
                return found;
            }
        }
    }

    pub async fn subscribe(&mut self, filter: &str) -> Vec<p5::SubscribeReasonCode> {
        self.client
            .subscribe(filter, rumqttc::v5::mqttbytes::QoS::AtLeastOnce)
            .await
            .unwrap();
        self.wait(|p| match p {
            p5::Packet::SubAck(ack) => Some(ack.return_codes.clone()),
            _ => None,
        })
        .await
    }

    /// Publishes at QoS 1 and returns the PUBACK reason.
    pub async fn publish_qos1(
        &mut self,
        topic: &str,
        payload: impl Into<Bytes>,
    ) -> p5::PubAckReason {
        self.client
            .publish(
                topic,
                rumqttc::v5::mqttbytes::QoS::AtLeastOnce,
                false,
                payload,
            )
            .await
            .unwrap();
        self.wait(|p| match p {
            p5::Packet::PubAck(ack) => Some(ack.reason),
            _ => None,
        })
        .await
    }

    pub async fn publish_qos0(&mut self, topic: &str, payload: impl Into<Bytes>) {
        self.client
            .publish(
                topic,
                rumqttc::v5::mqttbytes::QoS::AtMostOnce,
                false,
                payload,
            )
            .await
            .unwrap();
    }

    pub async fn json_on(&mut self, prefix: &str) -> (String, Value) {
        self.wait(|p| match p {
            p5::Packet::Publish(m) if m.topic.starts_with(prefix.as_bytes()) => Some((
                String::from_utf8(m.topic.to_vec()).unwrap(),
                serde_json::from_slice(&m.payload).unwrap(),
            )),
            _ => None,
        })
        .await
    }

    /// Polls until the connection ends; the server's DISCONNECT reason, if
    /// it sent one.
    pub async fn disconnected(&mut self) -> Option<p5::DisconnectReasonCode> {
        let deadline = tokio::time::Instant::now() + SOON;
        loop {
            match tokio::time::timeout_at(deadline, self.events.poll())
                .await
                .expect("the server ends the connection in time")
            {
                Ok(rumqttc::v5::Event::Incoming(p5::Packet::Disconnect(d))) => {
                    return Some(d.reason_code);
                }
                Ok(_) => continue,
                Err(rumqttc::v5::ConnectionError::MqttState(
                    rumqttc::v5::StateError::ServerDisconnect { reason_code, .. },
                )) => return Some(reason_code),
                Err(_) => return None,
            }
        }
    }
}
