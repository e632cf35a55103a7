//! The attribute models of device types, kept in memory by the service:
//! loaded from the store the first time a type is seen, and learned from
//! the first value of each new identifier. The store keeps them too (the
//! ingest batch inserts learned ones); this copy decides, so that two
//! reports racing with different types for a new identifier cannot both
//! win.

use std::collections::HashMap;
use std::sync::{PoisonError, RwLock};

use super::ReportError;
use super::model::{AttributeModel, Attributes, DataType};
use super::validate::{MODELS_MAX, wrong_type};
use crate::project::devices::DeviceTypeId;

/// Identifier → data type, per device type.
#[derive(Default)]
pub(crate) struct TypeModels {
    types: RwLock<HashMap<DeviceTypeId, HashMap<String, DataType>>>,
}

/// What [`TypeModels::check`] found.
enum Check {
    /// Every identifier is known with the value's type.
    Known,
    /// Some identifiers are new.
    New,
}

impl TypeModels {
    /// Whether the type's models are in memory.
    pub fn is_loaded(&self, type_id: DeviceTypeId) -> bool {
        self.types
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .contains_key(&type_id)
    }

    /// Puts the stored models of a type in memory, unless another caller
    /// did first (whose copy may have learned more since).
    pub fn load(&self, type_id: DeviceTypeId, models: Vec<AttributeModel>) {
        let mut types = self.types.write().unwrap_or_else(PoisonError::into_inner);
        types.entry(type_id).or_insert_with(|| {
            models
                .into_iter()
                .map(|m| (m.identifier, m.data_type))
                .collect()
        });
    }

    fn check(known: &HashMap<String, DataType>, attrs: &Attributes) -> Result<Check, ReportError> {
        let mut outcome = Check::Known;
        for (identifier, value) in attrs {
            let Some(got) = DataType::of(value) else {
                continue;
            };
            match known.get(identifier) {
                Some(expected) if *expected != got => {
                    return Err(wrong_type(identifier, *expected, got));
                }
                Some(_) => {}
                None => outcome = Check::New,
            }
        }
        Ok(outcome)
    }

    /// Checks every value against the type's models and learns the new
    /// identifiers, all or nothing. The type must be loaded (a type that
    /// is not is treated as having no models yet).
    pub fn check_and_learn(
        &self,
        type_id: DeviceTypeId,
        attrs: &Attributes,
    ) -> Result<(), ReportError> {
        {
            let types = self.types.read().unwrap_or_else(PoisonError::into_inner);
            if let Some(known) = types.get(&type_id)
                && let Check::Known = Self::check(known, attrs)?
            {
                return Ok(());
            }
        }
        let mut types = self.types.write().unwrap_or_else(PoisonError::into_inner);
        let known = types.entry(type_id).or_default();
        // Checked again: another report may have learned meanwhile.
        if let Check::Known = Self::check(known, attrs)? {
            return Ok(());
        }
        let new = attrs.keys().filter(|k| !known.contains_key(*k)).count();
        if known.len() + new > MODELS_MAX {
            return Err(ReportError::Invalid(format!(
                "the device type has {} attributes; it may learn at most {MODELS_MAX}",
                known.len()
            )));
        }
        for (identifier, value) in attrs {
            if let Some(t) = DataType::of(value) {
                known.entry(identifier.clone()).or_insert(t);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use serde_json::{Value, json};

    use super::super::model::AttrType;
    use super::*;

    fn attrs(v: Value) -> Attributes {
        match v {
            Value::Object(m) => m,
            _ => panic!("not an object"),
        }
    }

    fn message(r: Result<(), ReportError>) -> String {
        match r {
            Err(ReportError::Invalid(m)) => m,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn types_are_learned_from_first_values() {
        let models = TypeModels::default();
        assert!(!models.is_loaded(1));
        models.load(
            1,
            vec![AttributeModel {
                identifier: "t".into(),
                name: "t".into(),
                attr_type: AttrType::Report,
                data_type: DataType::Number,
            }],
        );
        assert!(models.is_loaded(1));
        models
            .check_and_learn(1, &attrs(json!({"t": 1, "on": true, "cfg": {"a": 1}})))
            .unwrap();
        models
            .check_and_learn(1, &attrs(json!({"t": 2.5, "on": false, "cfg": [1]})))
            .unwrap();
        let m = message(models.check_and_learn(1, &attrs(json!({"t": "hot"}))));
        assert!(m.contains("t is a number, not a string"), "{m}");
        // Refused as a whole: `new` was not learned with it.
        let m = message(models.check_and_learn(1, &attrs(json!({"new": "x", "on": 1}))));
        assert!(m.contains("on is a boolean"), "{m}");
        models
            .check_and_learn(1, &attrs(json!({"new": 5})))
            .unwrap();
        // Another type learns on its own.
        models
            .check_and_learn(2, &attrs(json!({"t": "text"})))
            .unwrap();
        // Loading again keeps what was learned.
        models.load(1, vec![]);
        assert!(
            models
                .check_and_learn(1, &attrs(json!({"new": "x"})))
                .is_err()
        );
    }

    #[test]
    fn a_type_learns_a_bounded_number_of_identifiers() {
        let models = TypeModels::default();
        for chunk in 0..(MODELS_MAX / 200) {
            let batch: Attributes = (0..200)
                .map(|i| (format!("k{}", chunk * 200 + i), json!(1)))
                .collect();
            models.check_and_learn(7, &batch).unwrap();
        }
        let m = message(models.check_and_learn(7, &attrs(json!({"one_more": 1}))));
        assert!(m.contains("at most"), "{m}");
        // Known identifiers still pass.
        models.check_and_learn(7, &attrs(json!({"k0": 2}))).unwrap();
    }
}
