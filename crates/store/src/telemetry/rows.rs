//! Rows of the device data tables to domain records.

use serde_json::Value;
use thingstead_core::StoreError;
use thingstead_core::store::StoreResult;
use thingstead_core::telemetry::{AttrType, Attribute, AttributeModel, DataType, Point};

use crate::convert::time;
use crate::entity::{attribute_history, attribute_model, device_attribute};

fn data_type(name: &str) -> StoreResult<DataType> {
    DataType::parse(name)
        .ok_or_else(|| StoreError::Backend(format!("unknown stored data type: {name}")))
}

fn attr_type(name: &str) -> StoreResult<AttrType> {
    AttrType::parse(name)
        .ok_or_else(|| StoreError::Backend(format!("unknown stored attribute type: {name}")))
}

fn value(column: &str, text: &str) -> StoreResult<Value> {
    serde_json::from_str(text)
        .map_err(|e| StoreError::Backend(format!("stored {column} is not valid JSON: {e}")))
}

pub(super) fn model(m: attribute_model::Model) -> StoreResult<AttributeModel> {
    Ok(AttributeModel {
        data_type: data_type(&m.data_type)?,
        attr_type: attr_type(&m.attr_type)?,
        identifier: m.identifier,
        name: m.name,
    })
}

pub(super) fn attribute(m: device_attribute::Model) -> StoreResult<Attribute> {
    Ok(Attribute {
        value: value("device_attributes.value", &m.value)?,
        attr_type: attr_type(&m.attr_type)?,
        data_type: data_type(&m.data_type)?,
        ts: time(m.ts)?,
        identifier: m.identifier,
    })
}

pub(super) fn point(m: attribute_history::Model) -> StoreResult<Point> {
    Ok(Point {
        ts: time(m.ts)?,
        value: value("device_attribute_history.value", &m.value)?,
        data_type: data_type(&m.data_type)?,
        identifier: m.identifier,
    })
}
