//! The MQTT packet decoding path on arbitrary bytes: protocol version
//! detection, then that version's decoder, packet after packet.
#![no_main]

use bytes::BytesMut;
use libfuzzer_sys::fuzz_target;
use rmqtt_codec::version::{ProtocolVersion, VersionCodec};
use rmqtt_codec::{MqttCodec, MqttPacket, v3, v5};
use tokio_util::codec::Decoder;

/// The default maximum packet size of the MQTT listener (256 KiB).
const MAX_PACKET: u32 = 256 * 1024;

fn decode(data: &[u8]) {
    let mut buf = BytesMut::from(data);
    let mut codec = MqttCodec::Version(VersionCodec);
    for _ in 0..4096 {
        match codec.decode(&mut buf) {
            Ok(Some((MqttPacket::Version(ProtocolVersion::MQTT3), _))) => {
                codec = MqttCodec::V3(v3::Codec::new(MAX_PACKET));
            }
            Ok(Some((MqttPacket::Version(ProtocolVersion::MQTT5), _))) => {
                codec = MqttCodec::V5(v5::Codec::new(MAX_PACKET, 0));
            }
            Ok(Some(_)) => {}
            Ok(None) | Err(_) => break,
        }
    }
}

fuzz_target!(|data: &[u8]| {
    decode(data);
});
