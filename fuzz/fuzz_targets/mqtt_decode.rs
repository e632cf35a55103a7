//! The device gateway's MQTT decoding path on arbitrary bytes: protocol
//! version detection, that version's decoder packet after packet, and the
//! translation, topic checks and payload parsing of what it decodes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    thingstead_devices::fuzz_decode(data);
});
