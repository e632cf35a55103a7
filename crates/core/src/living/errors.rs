//! Why a living call was refused: the domain's errors and seed 002's
//! business codes.

use thiserror::Error;

use crate::error::{DomainError, StoreError};

/// A refused living call.
#[derive(Debug, Error)]
pub enum LivingError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// The caller is not bound to the device (or it does not exist): 2065.
    #[error("identityId and iotId not bound")]
    NotBound,
    /// The caller is bound, but not as the owner: 2066.
    #[error("identityId is not manager")]
    NotManager,
    /// The device's type does not allow sharing: 2073.
    #[error("this product not support share")]
    ShareForbidden,
}

impl From<StoreError> for LivingError {
    fn from(e: StoreError) -> Self {
        LivingError::Domain(e.into())
    }
}

impl LivingError {
    /// A parameter error naming the field.
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        LivingError::Domain(DomainError::invalid(field, message))
    }
}

/// Why a provisioning code bound nothing; the message is for the device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum ProvisionError {
    #[error("code is required")]
    Missing,
    #[error("the provisioning code is wrong")]
    Wrong,
    #[error("the provisioning code has expired")]
    Expired,
    #[error("the provisioning code has already been used")]
    Used,
    #[error("the device already has an owner")]
    Owned,
    #[error("the code could not be checked, try again later")]
    Unavailable,
}
