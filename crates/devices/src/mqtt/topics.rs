//! The device's own protocol topics: what it may publish, which filters it
//! may subscribe to, and how a filter matches a topic. Topics carry no
//! device id; the connection is the device, so every device has the same
//! topics and none can reach another's. A gateway (its device type says
//! so) also has the `gateway/...` topics, whose payloads are keyed by
//! sub-device.

/// The longest id or identifier segment accepted.
pub const MAX_SEGMENT: usize = 128;

/// A topic a device publishes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Uplink<'a> {
    /// `attributes`.
    Attributes,
    /// `attributes/get/<id>`.
    AttributesGet(&'a str),
    /// `command/reply/<id>`.
    CommandReply(&'a str),
    /// `event/report/<id>`.
    EventReport(&'a str),
    /// `data/<identifier>`.
    Data(&'a str),
    /// `provision`: the device presents its user's provisioning code.
    Provision,
    /// `gateway/attributes` (gateways only).
    GatewayAttributes,
    /// `gateway/command/reply/<id>` (gateways only).
    GatewayCommandReply(&'a str),
    /// `gateway/event/report/<id>` (gateways only).
    GatewayEventReport(&'a str),
}

/// One level that names something: not empty, no wildcard, not too long.
fn segment(s: &str) -> Option<&str> {
    (!s.is_empty() && s.len() <= MAX_SEGMENT && !s.contains(['+', '#', '/', '\0'])).then_some(s)
}

impl<'a> Uplink<'a> {
    /// `None`: not a topic this device may publish to.
    pub fn parse(topic: &'a str) -> Option<Uplink<'a>> {
        if topic == "attributes" {
            return Some(Uplink::Attributes);
        }
        if topic == "provision" {
            return Some(Uplink::Provision);
        }
        if let Some(id) = topic.strip_prefix("attributes/get/") {
            return segment(id).map(Uplink::AttributesGet);
        }
        if let Some(id) = topic.strip_prefix("command/reply/") {
            return segment(id).map(Uplink::CommandReply);
        }
        if let Some(id) = topic.strip_prefix("event/report/") {
            return segment(id).map(Uplink::EventReport);
        }
        if let Some(identifier) = topic.strip_prefix("data/") {
            return segment(identifier).map(Uplink::Data);
        }
        if topic == "gateway/attributes" {
            return Some(Uplink::GatewayAttributes);
        }
        if let Some(id) = topic.strip_prefix("gateway/command/reply/") {
            return segment(id).map(Uplink::GatewayCommandReply);
        }
        if let Some(id) = topic.strip_prefix("gateway/event/report/") {
            return segment(id).map(Uplink::GatewayEventReport);
        }
        None
    }

    /// Whether only a gateway may publish here.
    pub fn gateway_only(&self) -> bool {
        matches!(
            self,
            Uplink::GatewayAttributes
                | Uplink::GatewayCommandReply(_)
                | Uplink::GatewayEventReport(_)
        )
    }
}

/// Whether a device may subscribe to `filter`: one of its own downlink
/// topics, with `+` allowed only where the topic carries an id or an
/// identifier. `#`, and anything outside these topics, is refused; the
/// `gateway/...` topics only for a gateway.
pub fn allowed_filter(filter: &str, gateway: bool) -> bool {
    let id_or_plus = |s: &str| s == "+" || segment(s).is_some();
    if let Some(rest) = filter.strip_prefix("gateway/") {
        return gateway && allowed_gateway_filter(rest, id_or_plus);
    }
    if matches!(
        filter,
        "attributes/response" | "attributes/push" | "provision/response"
    ) {
        return true;
    }
    for prefix in [
        "attributes/get/response/",
        "command/send/",
        "command/reply/response/",
        "event/response/",
    ] {
        if let Some(rest) = filter.strip_prefix(prefix) {
            return id_or_plus(rest);
        }
    }
    if let Some(rest) = filter.strip_prefix("data/")
        && let Some(identifier) = rest.strip_suffix("/set")
    {
        return id_or_plus(identifier);
    }
    false
}

/// The gateway's downlink topics, after `gateway/`.
fn allowed_gateway_filter(rest: &str, id_or_plus: impl Fn(&str) -> bool) -> bool {
    if matches!(rest, "attributes/response" | "attributes/push") {
        return true;
    }
    for prefix in [
        "command/send/",
        "command/reply/response/",
        "event/response/",
    ] {
        if let Some(id) = rest.strip_prefix(prefix) {
            return id_or_plus(id);
        }
    }
    false
}

/// Whether `topic` matches `filter` (filters here have `+` only).
pub fn matches(filter: &str, topic: &str) -> bool {
    let mut f = filter.split('/');
    let mut t = topic.split('/');
    loop {
        match (f.next(), t.next()) {
            (None, None) => return true,
            (Some("+"), Some(_)) => {}
            (Some(a), Some(b)) if a == b => {}
            _ => return false,
        }
    }
}

/// The topics the server publishes to.
pub mod down {
    pub const ATTRIBUTES_RESPONSE: &str = "attributes/response";
    pub const ATTRIBUTES_PUSH: &str = "attributes/push";
    pub const PROVISION_RESPONSE: &str = "provision/response";

    pub fn attributes_get_response(id: &str) -> String {
        format!("attributes/get/response/{id}")
    }

    pub fn command_send(id: &str) -> String {
        format!("command/send/{id}")
    }

    pub fn command_reply_response(id: &str) -> String {
        format!("command/reply/response/{id}")
    }

    pub fn event_response(id: &str) -> String {
        format!("event/response/{id}")
    }

    pub fn data_set(identifier: &str) -> String {
        format!("data/{identifier}/set")
    }

    pub const GATEWAY_ATTRIBUTES_RESPONSE: &str = "gateway/attributes/response";
    pub const GATEWAY_ATTRIBUTES_PUSH: &str = "gateway/attributes/push";

    pub fn gateway_command_send(id: &str) -> String {
        format!("gateway/command/send/{id}")
    }

    pub fn gateway_command_reply_response(id: &str) -> String {
        format!("gateway/command/reply/response/{id}")
    }

    pub fn gateway_event_response(id: &str) -> String {
        format!("gateway/event/response/{id}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uplinks_are_the_protocol_topics_only() {
        assert_eq!(Uplink::parse("attributes"), Some(Uplink::Attributes));
        assert_eq!(
            Uplink::parse("attributes/get/1000"),
            Some(Uplink::AttributesGet("1000"))
        );
        assert_eq!(
            Uplink::parse("command/reply/7"),
            Some(Uplink::CommandReply("7"))
        );
        assert_eq!(
            Uplink::parse("event/report/1"),
            Some(Uplink::EventReport("1"))
        );
        assert_eq!(Uplink::parse("data/temp"), Some(Uplink::Data("temp")));
        assert_eq!(Uplink::parse("provision"), Some(Uplink::Provision));
        for foreign in [
            "attributes/",
            "attributes/get/",
            "attributes/get/1/2",
            "attributes/push",
            "attributes/response",
            "command/send/1",
            "data/x/set",
            "data/",
            "data/+",
            "devices/1/attributes",
            "#",
            "",
            "/attributes",
            "gateway/attributes/push",
            "gateway/command/send/1",
            "gateway/event/report/",
            "gateway/attributes/x",
            "provision/response",
            "provision/x",
        ] {
            assert_eq!(Uplink::parse(foreign), None, "{foreign}");
        }
        assert_eq!(Uplink::parse(&format!("data/{}", "x".repeat(200))), None);
        assert_eq!(
            Uplink::parse("gateway/attributes"),
            Some(Uplink::GatewayAttributes)
        );
        assert_eq!(
            Uplink::parse("gateway/command/reply/4"),
            Some(Uplink::GatewayCommandReply("4"))
        );
        assert_eq!(
            Uplink::parse("gateway/event/report/5"),
            Some(Uplink::GatewayEventReport("5"))
        );
        assert!(Uplink::GatewayAttributes.gateway_only());
        assert!(!Uplink::Attributes.gateway_only());
    }

    #[test]
    fn filters_stay_within_the_devices_topics() {
        for ok in [
            "attributes/response",
            "attributes/push",
            "attributes/get/response/+",
            "attributes/get/response/1000",
            "command/send/+",
            "command/reply/response/+",
            "event/response/+",
            "event/response/3",
            "data/+/set",
            "data/stream/set",
            "provision/response",
        ] {
            assert!(allowed_filter(ok, false), "{ok}");
            assert!(allowed_filter(ok, true), "{ok}");
        }
        for gateway in [
            "gateway/attributes/response",
            "gateway/attributes/push",
            "gateway/command/send/+",
            "gateway/command/reply/response/7",
            "gateway/event/response/+",
        ] {
            assert!(allowed_filter(gateway, true), "{gateway}");
            assert!(!allowed_filter(gateway, false), "{gateway}");
        }
        for refused in [
            "gateway/#",
            "gateway/+",
            "gateway/attributes",
            "gateway/command/send/#",
        ] {
            assert!(!allowed_filter(refused, true), "{refused}");
        }
        for refused in [
            "#",
            "+",
            "+/push",
            "attributes/#",
            "attributes/+",
            "+/+/+",
            "command/#",
            "command/send/#",
            "data/+",
            "data/#",
            "data/+/+",
            "attributes",
            "$SYS/#",
            "devices/2/attributes/push",
            "command/send/",
        ] {
            assert!(!allowed_filter(refused, false), "{refused}");
        }
    }

    #[test]
    fn plus_matches_one_level() {
        assert!(matches("command/send/+", "command/send/12"));
        assert!(matches("data/+/set", "data/stream/set"));
        assert!(matches("attributes/push", "attributes/push"));
        assert!(!matches("command/send/+", "command/send"));
        assert!(!matches("command/send/+", "command/send/1/2"));
        assert!(!matches(
            "attributes/get/response/1",
            "attributes/get/response/2"
        ));
    }
}
