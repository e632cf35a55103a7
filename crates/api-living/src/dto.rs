//! Seed 002 params and answers, field names as the document has them.
//! Ids are sent as strings; numbers are taken too.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use thingstead_core::living::{BoundDevice, DeviceStatus, NoticeItem, Paged, alias};
use thingstead_core::project::devices::{Device, DeviceType};
use thingstead_http::{LooseInt, LooseString};
use utoipa::ToSchema;

mod scenes;
pub use scenes::*;

/// The request envelope (documentation only: [`crate::request::Call`] reads it).
#[derive(Debug, Deserialize, ToSchema)]
pub struct Envelope<P> {
    /// Echoed in the answer.
    #[schema(value_type = Object)]
    pub id: Value,
    /// `1.0`.
    pub version: Option<String>,
    pub request: RequestInfo,
    pub params: P,
}

/// `request` of the envelope.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RequestInfo {
    /// Any user session token of thingstead.
    pub iot_token: String,
    /// `major.minor.patch`, such as `1.0.2`.
    pub api_ver: String,
}

/// A required field: 460 naming it when absent.
pub fn required<T>(
    field: &'static str,
    value: Option<T>,
) -> Result<T, thingstead_core::living::LivingError> {
    value.ok_or_else(|| thingstead_core::DomainError::required(field).into())
}

fn strings(list: Option<Vec<LooseString>>) -> Vec<String> {
    list.unwrap_or_default().into_iter().map(|s| s.0).collect()
}

/// `pageNo` and `pageSize` as a page.
pub fn page(
    no: Option<LooseInt>,
    size: Option<LooseInt>,
) -> Result<thingstead_core::living::Page, thingstead_core::DomainError> {
    thingstead_core::living::Page::parse(no.map(|n| n.0), size.map(|n| n.0))
}

/// `/uc/getShareNoticeList`
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PageParams {
    #[schema(value_type = Option<i64>)]
    pub page_no: Option<LooseInt>,
    #[schema(value_type = Option<i64>)]
    pub page_size: Option<LooseInt>,
}

/// `/uc/listBindingByAccount`
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListByAccountParams {
    #[schema(value_type = Option<i64>)]
    pub page_no: Option<LooseInt>,
    #[schema(value_type = Option<i64>)]
    pub page_size: Option<LooseInt>,
    /// `VIRTUAL`, `WEB`, `APP` or `DEVICE`.
    pub thing_type: Option<String>,
    /// `DEVICE` or `GATEWAY`.
    pub node_type: Option<String>,
    /// 0 shared to the caller, 1 owned, absent all.
    #[schema(value_type = Option<i64>)]
    pub owned: Option<LooseInt>,
}

/// `/uc/listBindingByDev`
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListByDevParams {
    #[schema(value_type = Option<String>)]
    pub iot_id: Option<LooseString>,
    #[schema(value_type = Option<i64>)]
    pub page_no: Option<LooseInt>,
    #[schema(value_type = Option<i64>)]
    pub page_size: Option<LooseInt>,
    #[schema(value_type = Option<i64>)]
    pub owned: Option<LooseInt>,
}

/// One change of `/uc/sortDevices`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SortDeviceDto {
    #[schema(value_type = Option<String>)]
    pub iot_id: Option<LooseString>,
    #[schema(value_type = Option<i64>)]
    pub from_order: Option<LooseInt>,
    #[schema(value_type = Option<i64>)]
    pub to_order: Option<LooseInt>,
}

/// `/uc/sortDevices`
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SortDevicesParams {
    pub group_id: Option<String>,
    #[serde(rename = "sortDeviceDTOList")]
    pub sort_device_dto_list: Option<Vec<SortDeviceDto>>,
}

/// `/uc/generateShareQrCode`
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ShareQrParams {
    #[schema(value_type = Option<Vec<String>>)]
    pub iot_id_list: Option<Vec<LooseString>>,
    #[schema(value_type = Option<Vec<String>>)]
    pub scene_id_list: Option<Vec<LooseString>>,
    pub group_id: Option<String>,
}

impl ShareQrParams {
    pub fn iot_ids(self) -> (Vec<String>, Vec<String>) {
        (strings(self.iot_id_list), strings(self.scene_id_list))
    }
}

/// `/uc/generateShareQrCode` answer.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct QrKey {
    pub qr_key: String,
}

/// `/uc/scanBindByShareQrCode`
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScanParams {
    pub qr_key: Option<String>,
}

/// `/uc/shareDevicesAndScenes`
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ShareParams {
    #[schema(value_type = Option<Vec<String>>)]
    pub iot_id_list: Option<Vec<LooseString>>,
    /// A phone number or e-mail address.
    #[schema(value_type = Option<String>)]
    pub account_attr: Option<LooseString>,
    /// `MOBILE` or `EMAIL`.
    pub account_attr_type: Option<String>,
}

impl ShareParams {
    pub fn iot_ids(&mut self) -> Vec<String> {
        strings(self.iot_id_list.take())
    }
}

/// `/uc/cancelShare`
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecordsParams {
    #[schema(value_type = Option<Vec<String>>)]
    pub record_id_list: Option<Vec<LooseString>>,
}

impl RecordsParams {
    pub fn ids(self) -> Vec<String> {
        strings(self.record_id_list)
    }
}

/// `/uc/confirmShare`
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConfirmParams {
    #[schema(value_type = Option<Vec<String>>)]
    pub record_id_list: Option<Vec<LooseString>>,
    /// 1 agree, 0 refuse.
    #[schema(value_type = Option<i64>)]
    pub agree: Option<LooseInt>,
}

/// `/uc/setDeviceNickName`
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NickNameParams {
    pub group_id: Option<String>,
    #[schema(value_type = Option<String>)]
    pub iot_id: Option<LooseString>,
    pub nick_name: Option<String>,
}

/// Params naming one device.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IotIdParams {
    #[schema(value_type = Option<String>)]
    pub iot_id: Option<LooseString>,
}

/// `/uc/unbindByManager`
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UnbindByManagerParams {
    #[schema(value_type = Option<String>)]
    pub target_identity_id: Option<LooseString>,
    #[schema(value_type = Option<Vec<String>>)]
    pub iot_id_list: Option<Vec<LooseString>>,
}

impl UnbindByManagerParams {
    pub fn iot_ids(&mut self) -> Vec<String> {
        strings(self.iot_id_list.take())
    }
}

/// Params of a call that takes none.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NoParams {}

/// `/uc/bindPushChannel`
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BindPushParams {
    pub device_id: Option<String>,
    /// `iOS` or `ANDROID`.
    pub device_type: Option<String>,
}

/// `/uc/unbindPushChannel`
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UnbindPushParams {
    pub device_id: Option<String>,
}

/// `/subdevices/list`
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SubDevicesParams {
    #[schema(value_type = Option<String>)]
    pub iot_id: Option<LooseString>,
    #[schema(value_type = Option<i64>)]
    pub page_no: Option<LooseInt>,
    #[schema(value_type = Option<i64>)]
    pub page_size: Option<LooseInt>,
}

/// `/uc/unbindAccountAndScene`
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SceneParams {
    #[schema(value_type = Option<String>)]
    pub scene_id: Option<LooseString>,
}

/// A paged list `{total, pageNo, pageSize, data}`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PageOf<T> {
    pub total: u64,
    pub page_no: u64,
    pub page_size: u64,
    pub data: Vec<T>,
}

impl<T> PageOf<T> {
    pub fn of<S>(paged: Paged<S>, f: impl Fn(S) -> T) -> Self {
        PageOf {
            total: paged.total,
            page_no: paged.page.no,
            page_size: paged.page.size,
            data: paged.items.into_iter().map(f).collect(),
        }
    }
}

/// The product fields a device's type gives.
struct Product {
    key: String,
    name: String,
    model: String,
    image: String,
    category_image: String,
    net_type: String,
}

fn product(t: Option<&DeviceType>) -> Product {
    let tag = |k: &str| t.and_then(|t| t.tags.get(k)).cloned();
    Product {
        key: t.map(|t| t.id.to_string()).unwrap_or_default(),
        name: t.map(|t| t.name.clone()).unwrap_or_default(),
        model: tag("product_model")
            .or_else(|| t.map(|t| t.name.clone()))
            .unwrap_or_default(),
        image: tag("product_image").unwrap_or_default(),
        category_image: tag("category_image").unwrap_or_default(),
        net_type: tag("net_type").unwrap_or_else(|| "NET_OTHER".into()),
    }
}

fn node_type(t: Option<&DeviceType>) -> &'static str {
    if t.is_some_and(|t| t.is_gateway) {
        "GATEWAY"
    } else {
        "DEVICE"
    }
}

/// `AccountDevDTO`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AccountDevDto {
    pub identity_id: String,
    pub iot_id: String,
    pub product_key: String,
    pub device_name: String,
    pub product_name: String,
    pub product_image: String,
    pub product_model: String,
    pub category_image: String,
    /// The user's own name for the device; absent when not set.
    pub nick_name: Option<String>,
    pub net_type: String,
    pub thing_type: &'static str,
    pub node_type: &'static str,
    /// 0 not activated, 1 online, 3 offline, 8 disabled.
    pub status: i32,
    /// 1 owner, 0 shared.
    pub owned: u8,
    pub identity_alias: String,
    /// Binding time, unix milliseconds.
    pub gmt_modified: i64,
    pub description: String,
}

impl From<BoundDevice> for AccountDevDto {
    fn from(b: BoundDevice) -> Self {
        let p = product(b.device_type.as_ref());
        AccountDevDto {
            identity_id: b.user.id.to_string(),
            iot_id: b.device.id.to_string(),
            product_key: p.key,
            device_name: b.device.device_key.clone(),
            product_name: p.name,
            product_image: p.image,
            product_model: p.model,
            category_image: p.category_image,
            nick_name: Some(b.binding.nickname).filter(|n| !n.is_empty()),
            net_type: p.net_type,
            thing_type: "DEVICE",
            node_type: node_type(b.device_type.as_ref()),
            status: DeviceStatus::of(&b.device).code(),
            owned: u8::from(b.binding.owned),
            identity_alias: alias(&b.user),
            gmt_modified: b.binding.created_at.timestamp_millis(),
            description: b.device.descr,
        }
    }
}

/// `ShareNoticeDTO`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ShareNoticeDto {
    pub initiator_alias: String,
    pub receiver_alias: String,
    pub target_id: String,
    /// `DEVICE`.
    pub target_type: &'static str,
    pub product_image: String,
    pub device_name: String,
    /// 1 when the caller is the receiver.
    pub is_receiver: u8,
    pub gmt_create: i64,
    pub gmt_modified: i64,
    pub record_id: String,
    /// -1 pending, 0 agreed, 1 refused, 2 cancelled, 3 expired, 6 owner unbound.
    pub status: i32,
    pub description: String,
    pub category_image: String,
    pub product_name: String,
    /// The caller's own name for the device, else the device's name.
    pub nick_name: String,
}

impl From<NoticeItem> for ShareNoticeDto {
    fn from(item: NoticeItem) -> Self {
        let n = item.notice;
        let p = product(n.device_type.as_ref());
        ShareNoticeDto {
            initiator_alias: alias(&n.initiator),
            receiver_alias: n.receiver.value().to_owned(),
            target_id: n.device.id.to_string(),
            target_type: "DEVICE",
            product_image: p.image,
            device_name: n.device.device_key.clone(),
            is_receiver: u8::from(item.is_receiver),
            gmt_create: n.created_at.timestamp_millis(),
            gmt_modified: n.modified_at.timestamp_millis(),
            record_id: n.id.to_string(),
            status: item.status,
            description: n.device.descr.clone(),
            category_image: p.category_image,
            product_name: p.name,
            nick_name: item.nickname.unwrap_or(n.device.name),
        }
    }
}

/// `getShareNoticeList` data.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NoticePage {
    pub total: u64,
    pub page_no: u64,
    pub page_size: u64,
    pub share_notice_list: Vec<ShareNoticeDto>,
}

/// `DeviceInfoDTO`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeviceInfoDto {
    pub iot_id: String,
    pub product_key: String,
    pub device_name: String,
    pub nick_name: String,
    pub image: String,
    pub status: i32,
}

impl From<(Device, Option<DeviceType>)> for DeviceInfoDto {
    fn from((d, t): (Device, Option<DeviceType>)) -> Self {
        let p = product(t.as_ref());
        DeviceInfoDto {
            iot_id: d.id.to_string(),
            product_key: p.key,
            status: DeviceStatus::of(&d).code(),
            device_name: d.device_key,
            nick_name: d.name,
            image: p.category_image,
        }
    }
}
