//! Onboarding: a device presents the provisioning code its user asked for
//! (seed 000 `/user/customer/user/provision`) and becomes that user's.

use super::{ProvisionError, ProvisionOutcome};
use crate::model::UserId;
use crate::store::Store;
use crate::telemetry::ConnectedDevice;
use crate::{now, secret};

/// Longest code looked up; longer ones are wrong.
const CODE_MAX: usize = 128;

/// Redeems `code` for `device`: the device is bound to the code's user as
/// owner and the code dies, or nothing changes and the error says why.
/// A new code of the device's current owner is spent and changes nothing
/// else; a code presented twice is refused as used.
pub async fn redeem_provision_code(
    store: &dyn Store,
    device: &ConnectedDevice,
    code: &str,
) -> Result<UserId, ProvisionError> {
    let code = code.trim();
    if code.is_empty() {
        return Err(ProvisionError::Missing);
    }
    if code.len() > CODE_MAX {
        return Err(ProvisionError::Wrong);
    }
    let hash = secret::digest(&["provision", code]);
    let outcome = store
        .redeem_provision_code(device.project, &hash, device.device, now())
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "a provisioning code could not be redeemed");
            ProvisionError::Unavailable
        })?;
    match outcome {
        ProvisionOutcome::Bound(user) => {
            tracing::info!(device = device.device, user, "device provisioned");
            Ok(user)
        }
        ProvisionOutcome::Unknown => Err(ProvisionError::Wrong),
        ProvisionOutcome::Expired => Err(ProvisionError::Expired),
        ProvisionOutcome::Used => Err(ProvisionError::Used),
        ProvisionOutcome::Owned => Err(ProvisionError::Owned),
    }
}
