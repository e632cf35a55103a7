//! A user's devices: lists, order, nicknames, leaving, and the owner
//! removing members.

use super::values::{NickName, Page, Paged, iot_id, iot_ids};
use super::{BoundDevice, Living, LivingError, MAX_SHARE};
use crate::model::User;
use crate::project::devices::{Device, DeviceId, DeviceType};

type Result<T> = std::result::Result<T, LivingError>;

/// Filters of `listBindingByAccount`; `None` is all.
#[derive(Debug, Clone, Copy, Default)]
pub struct AccountFilter {
    /// `thingType`: thingstead's devices are all `DEVICE`, so any other
    /// kind lists nothing.
    pub devices_only: Option<bool>,
    /// `nodeType`: `GATEWAY` true, `DEVICE` false.
    pub gateway: Option<bool>,
    /// `owned`.
    pub owned: Option<bool>,
}

/// One change of `sortDevices`.
#[derive(Debug, Clone)]
pub struct Move {
    pub iot_id: String,
    pub to: i64,
}

impl Living {
    /// The caller's binding to the device, or [`LivingError::NotBound`].
    pub(super) async fn own_binding(&self, caller: &User, device: DeviceId) -> Result<BoundDevice> {
        self.store()
            .user_bindings(caller.project_id, caller.id)
            .await?
            .into_iter()
            .find(|b| b.device.id == device)
            .ok_or(LivingError::NotBound)
    }

    /// The caller's binding as owner: [`LivingError::NotBound`] when not
    /// bound, [`LivingError::NotManager`] when a member.
    pub(super) async fn owned_binding(
        &self,
        caller: &User,
        device: DeviceId,
    ) -> Result<BoundDevice> {
        let b = self.own_binding(caller, device).await?;
        if b.binding.owned {
            Ok(b)
        } else {
            Err(LivingError::NotManager)
        }
    }

    /// `listBindingByAccount`: the caller's devices in the caller's order.
    pub async fn list_by_account(
        &self,
        caller: &User,
        filter: AccountFilter,
        page: Page,
    ) -> Result<Paged<BoundDevice>> {
        let all = self
            .store()
            .user_bindings(caller.project_id, caller.id)
            .await?;
        let kept = all
            .into_iter()
            .filter(|_| filter.devices_only != Some(false))
            .filter(|b| filter.gateway.is_none_or(|g| b.is_gateway() == g))
            .filter(|b| filter.owned.is_none_or(|o| b.binding.owned == o))
            .collect();
        Ok(page.cut(kept))
    }

    /// `listBindingByDev`: the users bound to a device the caller is bound to.
    pub async fn list_by_device(
        &self,
        caller: &User,
        iot: &str,
        owned: Option<bool>,
        page: Page,
    ) -> Result<Paged<BoundDevice>> {
        let device = iot_id(iot)?;
        self.own_binding(caller, device).await?;
        let all = self
            .store()
            .device_bindings(caller.project_id, device)
            .await?;
        let kept = all
            .into_iter()
            .filter(|b| owned.is_none_or(|o| b.binding.owned == o))
            .collect();
        Ok(page.cut(kept))
    }

    /// `getByAccountAndDev`: the caller's binding, `None` when there is none.
    pub async fn binding_of(&self, caller: &User, iot: &str) -> Result<Option<BoundDevice>> {
        let device = match iot_id(iot) {
            Ok(d) => d,
            Err(LivingError::NotBound) => return Ok(None),
            Err(e) => return Err(e),
        };
        match self.own_binding(caller, device).await {
            Ok(b) => Ok(Some(b)),
            Err(LivingError::NotBound) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// `sortDevices`: moves each listed device to its `toOrder` (0-based
    /// position in the caller's list), in the order given.
    pub async fn sort_devices(&self, caller: &User, moves: &[Move]) -> Result<()> {
        if moves.is_empty() {
            return Err(LivingError::invalid(
                "sortDeviceDTOList",
                "sortDeviceDTOList must not be empty",
            ));
        }
        let mut order: Vec<DeviceId> = self
            .store()
            .user_bindings(caller.project_id, caller.id)
            .await?
            .into_iter()
            .map(|b| b.device.id)
            .collect();
        for m in moves {
            let device = iot_id(&m.iot_id)?;
            if m.to < 0 {
                return Err(LivingError::invalid(
                    "toOrder",
                    "toOrder must not be negative",
                ));
            }
            let at = order
                .iter()
                .position(|d| *d == device)
                .ok_or(LivingError::NotBound)?;
            let d = order.remove(at);
            let to = usize::try_from(m.to).unwrap_or(usize::MAX).min(order.len());
            order.insert(to, d);
        }
        self.store()
            .set_order(caller.project_id, caller.id, &order)
            .await?;
        Ok(())
    }

    /// `setDeviceNickName`: the caller's own name for a device it is bound to.
    pub async fn set_nickname(&self, caller: &User, iot: &str, name: &str) -> Result<()> {
        let device = iot_id(iot)?;
        let name = NickName::parse(name)?;
        if self
            .store()
            .set_nickname(caller.project_id, caller.id, device, name.as_str())
            .await?
        {
            Ok(())
        } else {
            Err(LivingError::NotBound)
        }
    }

    /// `unbindAccountAndDev`: a member leaves; the owner leaving unbinds
    /// everyone (and a gateway's sub-devices).
    #[tracing::instrument(skip_all, fields(user = caller.id))]
    pub async fn unbind(&self, caller: &User, iot: &str) -> Result<()> {
        let device = iot_id(iot)?;
        let b = self.own_binding(caller, device).await?;
        let store = self.store();
        if b.binding.owned {
            store
                .release_device(caller.project_id, device, crate::now())
                .await?;
        } else {
            store
                .remove_members(caller.project_id, caller.id, &[device])
                .await?;
        }
        Ok(())
    }

    /// `unbindByManager`: the owner removes a member from devices it owns.
    #[tracing::instrument(skip_all, fields(user = caller.id))]
    pub async fn unbind_by_manager(
        &self,
        caller: &User,
        target: &str,
        iots: &[String],
    ) -> Result<()> {
        let target = target.trim();
        if target.is_empty() {
            return Err(LivingError::invalid(
                "targetIdentityId",
                "targetIdentityId is required",
            ));
        }
        if iots.is_empty() {
            return Err(LivingError::invalid(
                "iotIdList",
                "iotIdList must not be empty",
            ));
        }
        let devices = iot_ids("iotIdList", iots, MAX_SHARE)?;
        let Some(target) = target.parse::<i64>().ok().filter(|t| *t > 0) else {
            // Names no user: nothing to remove, once the caller owns the devices.
            for d in &devices {
                self.owned_binding(caller, *d).await?;
            }
            return Ok(());
        };
        if target == caller.id {
            return Err(LivingError::invalid(
                "targetIdentityId",
                "targetIdentityId must not be the caller's own identity",
            ));
        }
        for d in &devices {
            self.owned_binding(caller, *d).await?;
        }
        self.store()
            .remove_members(caller.project_id, target, &devices)
            .await?;
        Ok(())
    }

    /// `/subdevices/list`: the sub-devices of a gateway the caller is bound to.
    pub async fn sub_devices(
        &self,
        caller: &User,
        iot: &str,
        page: Page,
    ) -> Result<Paged<(Device, Option<DeviceType>)>> {
        let device = iot_id(iot)?;
        let gateway = self.own_binding(caller, device).await?;
        if !gateway.is_gateway() {
            return Ok(page.cut(Vec::new()));
        }
        let subs = self.store().sub_devices(caller.project_id, device).await?;
        Ok(page.cut(subs))
    }
}
