//! Customers: list, read, create, edit, password, tags, delete, and the
//! password check of `customer_auth`.

use super::fields::{Descr, Locale, MAX_TAGS, check_tags};
use super::{CustomerChanges, TagsMerge};
use crate::error::{DomainError, Result};
use crate::identity::{check_password, new_account_no};
use crate::model::{DEFAULT_LOCALE, NewUser, RoleId, User, UserId};
use crate::project::{Caller, Projects, Tags};
use crate::values::{Account, CountryCode, Email, LoginName, Nickname, Password, Phone};
use crate::{StoreError, now};

/// Customers per page of `GET /customers?page=`.
pub const CUSTOMER_PAGE_SIZE: u64 = 20;

/// A customer to create (`POST /customer`).
#[derive(Debug, Clone)]
pub struct NewCustomer {
    pub account: Account,
    pub password: Password,
    pub name: Nickname,
    pub descr: Descr,
    pub email: Option<Email>,
    pub mobile: Option<Phone>,
    pub tags: Tags,
    pub role_id: Option<RoleId>,
}

/// Changes of `PUT /customer/{id}/info`: `None` leaves a field as it is;
/// `Some(None)` removes the e-mail, the mobile or the role.
#[derive(Debug, Clone, Default)]
pub struct CustomerUpdate {
    pub name: Option<Nickname>,
    pub descr: Option<Descr>,
    pub email: Option<Option<Email>>,
    pub mobile: Option<Option<Phone>>,
    pub role_id: Option<Option<RoleId>>,
    pub locale: Option<Locale>,
}

/// A customer with the number of devices bound to it.
#[derive(Debug, Clone)]
pub struct Customer {
    pub user: User,
    pub device_count: u64,
}

/// One page of customers (or all of them) and the totals.
#[derive(Debug, Clone)]
pub struct CustomerPage {
    pub items: Vec<Customer>,
    pub total: u64,
    pub page_total: u64,
}

/// The domain error for a duplicate, naming the seed 003 field.
fn conflict(e: StoreError) -> DomainError {
    match e {
        StoreError::Conflict("username") => DomainError::Conflict("account"),
        StoreError::Conflict("phone") => DomainError::Conflict("mobile"),
        StoreError::Conflict("email") => DomainError::Conflict("email"),
        other => other.into(),
    }
}

const NOT_FOUND: DomainError = DomainError::NotFound("customer");

impl Projects {
    /// The project's customers (every user of the project, however it
    /// registered), oldest first: page `page` of [`CUSTOMER_PAGE_SIZE`], or
    /// all of them without a page. A page past the end is empty.
    pub async fn customers(&self, caller: &Caller, page: Option<u64>) -> Result<CustomerPage> {
        let store = self.store();
        let project = caller.project_id;
        let (users, total, page_total) = match page {
            Some(0) => return Err(DomainError::invalid("page", "page must be 1 or more")),
            Some(page) => {
                let offset = (page - 1).saturating_mul(CUSTOMER_PAGE_SIZE);
                let users = store
                    .customers(project, offset, Some(CUSTOMER_PAGE_SIZE))
                    .await?;
                let total = store.count_customers(project).await?;
                (users, total, total.div_ceil(CUSTOMER_PAGE_SIZE))
            }
            None => {
                let users = store.customers(project, 0, None).await?;
                let total = users.len() as u64;
                (users, total, total.div_ceil(CUSTOMER_PAGE_SIZE))
            }
        };
        let ids: Vec<UserId> = users.iter().map(|u| u.id).collect();
        let counts = store.device_counts(&ids).await?;
        let items = users
            .into_iter()
            .zip(counts.into_iter().chain(std::iter::repeat(0)))
            .map(|(user, device_count)| Customer { user, device_count })
            .collect();
        Ok(CustomerPage {
            items,
            total,
            page_total,
        })
    }

    /// One customer of the project.
    pub async fn customer(&self, caller: &Caller, id: UserId) -> Result<Customer> {
        let user = self.customer_user(caller, id).await?;
        let device_count = self.store().device_count(user.id).await?;
        Ok(Customer { user, device_count })
    }

    /// Creates a customer: a user of the project that logs in with its
    /// account (or mobile) and password through every user dialect. A
    /// duplicate account, mobile or e-mail answers
    /// `Conflict("account" | "mobile" | "email")` and writes nothing.
    #[tracing::instrument(skip_all, fields(project = caller.project_id))]
    pub async fn create_customer(&self, caller: &Caller, new: NewCustomer) -> Result<User> {
        let project = caller.project_id;
        check_tags("tags", &new.tags)?;
        if let Some(role) = new.role_id {
            self.role_of(caller, role).await?;
        }
        let store = self.store();
        let account = new.account.as_str();
        // The store's unique indexes decide; these checks only answer a
        // plain duplicate before the password is hashed, and keep an
        // all-digit account from shadowing another user's phone at login.
        let account_taken = store.user_by_username(project, account).await?.is_some()
            || (is_digits(account) && store.user_by_phone(project, account).await?.is_some());
        if account_taken {
            return Err(DomainError::Conflict("account"));
        }
        if let Some(mobile) = &new.mobile {
            let taken = store
                .user_by_phone(project, mobile.as_str())
                .await?
                .is_some()
                || store
                    .user_by_username(project, mobile.as_str())
                    .await?
                    .is_some();
            if taken {
                return Err(DomainError::Conflict("mobile"));
            }
        }
        if let Some(email) = &new.email
            && store
                .user_by_email(project, email.as_str())
                .await?
                .is_some()
        {
            return Err(DomainError::Conflict("email"));
        }
        let password_hash = self.hasher().hash(new.password.expose()).await?;
        store
            .insert_user(NewUser {
                project_id: project,
                account_no: new_account_no(),
                username: Some(account.to_owned()),
                phone: new.mobile.map(|p| p.as_str().to_owned()),
                country_code: CountryCode::default().as_str().to_owned(),
                email: new.email.map(|e| e.as_str().to_owned()),
                nickname: new.name.as_str().to_owned(),
                password_hash: Some(password_hash),
                created_at: now(),
                descr: new.descr.as_str().to_owned(),
                tags: new.tags,
                role_id: new.role_id,
                locale: DEFAULT_LOCALE.to_owned(),
            })
            .await
            .map_err(conflict)
    }

    /// Changes a customer's name, note, e-mail, mobile, role or locale.
    #[tracing::instrument(skip_all, fields(project = caller.project_id, customer = id))]
    pub async fn update_customer(
        &self,
        caller: &Caller,
        id: UserId,
        update: CustomerUpdate,
    ) -> Result<()> {
        let project = caller.project_id;
        let user = self.customer_user(caller, id).await?;
        if let Some(Some(role)) = update.role_id {
            self.role_of(caller, role).await?;
        }
        let store = self.store();
        match &update.mobile {
            Some(None) if user.username.is_none() => {
                return Err(DomainError::invalid(
                    "mobile",
                    "mobile cannot be removed from a customer that logs in with it",
                ));
            }
            Some(Some(mobile)) if user.phone.as_deref() != Some(mobile.as_str()) => {
                let shadowed = store
                    .user_by_username(project, mobile.as_str())
                    .await?
                    .is_some_and(|other| other.id != id);
                if shadowed {
                    return Err(DomainError::Conflict("mobile"));
                }
            }
            _ => {}
        }
        let changes = CustomerChanges {
            nickname: update.name.map(|n| n.as_str().to_owned()),
            descr: update.descr.map(|d| d.as_str().to_owned()),
            email: update.email.map(|e| e.map(|e| e.as_str().to_owned())),
            phone: update.mobile.map(|p| p.map(|p| p.as_str().to_owned())),
            role_id: update.role_id,
            locale: update.locale.map(|l| l.as_str().to_owned()),
        };
        if changes.is_empty() {
            return Err(DomainError::invalid(
                "name",
                "at least one of name, descr, email, mobile, role_id, locale is required",
            ));
        }
        if store
            .update_customer(project, id, &changes)
            .await
            .map_err(conflict)?
        {
            self.forget_sessions_of(id);
            Ok(())
        } else {
            Err(NOT_FOUND)
        }
    }

    /// Sets a customer's password and ends every session of the customer.
    #[tracing::instrument(skip_all, fields(project = caller.project_id, customer = id))]
    pub async fn set_customer_password(
        &self,
        caller: &Caller,
        id: UserId,
        password: &Password,
    ) -> Result<()> {
        let user = self.customer_user(caller, id).await?;
        let hash = self.hasher().hash(password.expose()).await?;
        self.store().set_password(user.id, &hash, None).await?;
        self.forget_sessions_of(user.id);
        Ok(())
    }

    /// Adds or overwrites tags of a customer; other keys stay.
    pub async fn merge_customer_tags(&self, caller: &Caller, id: UserId, tags: Tags) -> Result<()> {
        check_tags("tags", &tags)?;
        match self
            .store()
            .merge_customer_tags(caller.project_id, id, &tags, MAX_TAGS)
            .await?
        {
            TagsMerge::Merged => {
                self.forget_sessions_of(id);
                Ok(())
            }
            TagsMerge::NotFound => Err(NOT_FOUND),
            TagsMerge::TooMany => Err(DomainError::invalid(
                "tags",
                format!("a customer may hold at most {MAX_TAGS} tags"),
            )),
        }
    }

    /// Deletes a customer with its sessions and terminals; its devices stay.
    #[tracing::instrument(skip_all, fields(project = caller.project_id, customer = id))]
    pub async fn delete_customer(&self, caller: &Caller, id: UserId) -> Result<()> {
        if self.store().delete_customer(caller.project_id, id).await? {
            self.forget_sessions_of(id);
            Ok(())
        } else {
            Err(NOT_FOUND)
        }
    }

    /// Checks a customer's account (or mobile, or e-mail) and password
    /// without opening a session. Wrong password and unknown account answer
    /// [`DomainError::BadCredentials`] alike and count towards the same
    /// login-failure limit as the user dialects' logins.
    #[tracing::instrument(skip_all, fields(project = caller.project_id))]
    pub async fn customer_auth(
        &self,
        caller: &Caller,
        account: &str,
        password: &str,
    ) -> Result<User> {
        let project = caller.project_id;
        let Ok(name) = LoginName::parse("account", account) else {
            // No account can have this name; answer in the same time.
            self.hasher().verify(password, None).await?;
            return Err(DomainError::BadCredentials);
        };
        let store = self.store();
        let user = check_password(
            store,
            self.hasher(),
            self.policy(),
            project,
            &name,
            password,
        )
        .await?;
        store.clear_login_failures(project, &name.key()).await?;
        Ok(user)
    }

    /// The project's user `id`, or `NotFound("customer")`.
    pub(super) async fn customer_user(&self, caller: &Caller, id: UserId) -> Result<User> {
        self.store()
            .user(caller.project_id, id)
            .await?
            .ok_or(NOT_FOUND)
    }
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}
