//! What each operation of the route table does to the account.

mod actions;
mod answer;
mod computed;
mod fields;
mod history;
mod linked;
mod mail;
mod not_found;
mod pictures;
mod read;
mod request;
mod row_names;
mod search;
mod settings;
mod shaping;
mod special;
mod statistics;
mod v1_shapes;
mod write;

pub use answer::Answer;
pub use request::Ctx;

use crate::dice::Dice;
use crate::entities::entity;
use crate::error::ApiResult;
use crate::routes::{Method, Op};
use crate::store::Store;
use std::sync::{Mutex, RwLock};

/// The company account behind the API: its data and the randomness new rows draw from.
pub struct Account {
    pub store: RwLock<Store>,
    pub dice: Mutex<Dice>,
}

/// Runs the route's operation.
pub fn handle(account: &Account, ctx: &Ctx) -> ApiResult<Answer> {
    let read = || account.store.read().unwrap_or_else(|e| e.into_inner());
    let write = || account.store.write().unwrap_or_else(|e| e.into_inner());
    let dice = || account.dice.lock().unwrap_or_else(|e| e.into_inner());
    match ctx.route.op {
        Op::List(name) => read::list(&read(), entity(name), ctx),
        Op::ListUnder(name, attr) => read::list_under(&read(), entity(name), attr, ctx),
        Op::Read(name) => read::get(&read(), entity(name), ctx),
        Op::Create(name) => write::create(&mut write(), &mut dice(), entity(name), ctx),
        Op::Update(name) => write::update(&mut write(), entity(name), ctx),
        Op::Remove(name) => write::delete(&mut write(), entity(name), ctx),
        Op::BulkDelete(name) => write::bulk_delete(&mut write(), entity(name), ctx),
        Op::FieldList(owner) => fields::list(&read(), owner, ctx),
        Op::FieldGet(owner) => fields::get(&read(), owner, ctx),
        Op::FieldCreate(owner) => fields::create(&mut write(), &mut dice(), owner, ctx),
        Op::FieldUpdate(owner) => fields::update(&mut write(), owner, ctx),
        Op::FieldDelete(owner) => fields::delete(&mut write(), owner, ctx),
        Op::FieldOptions(owner) => fields::options(&mut write(), owner, ctx),
        Op::Me => special::me(&read(), ctx),
        Op::LeadSources => special::lead_sources(&read()),
        Op::GoalsFind => special::goals_find(&read(), ctx),
        Op::Flow(name) => history::flow(&read(), name, ctx),
        Op::Changelog(name) => history::changelog(&read(), name, ctx),
        Op::ParticipantsChangelog => history::participants_changelog(&read(), ctx),
        Op::ProjectGroups => history::project_groups(&read(), ctx),
        Op::ProjectPlan => history::project_plan(&read(), ctx),
        Op::FollowersChangelog(followers) => history::followers_changelog(&read(), followers, ctx),
        Op::Recents => special::recents(&read(), ctx),
        Op::DealsSummary => statistics::summary(&read(), ctx),
        Op::DealsTimeline => statistics::timeline(&read(), ctx),
        Op::GoalResults => statistics::goal_results(&read(), ctx),
        Op::ConversionStatistics => statistics::conversion_statistics(&read(), ctx),
        Op::MovementStatistics => statistics::movement_statistics(&read(), ctx),
        Op::Search(kind) => search::search(&read(), kind, ctx),
        Op::ItemSearch => search::item_search(&read(), ctx),
        Op::FieldSearch => search::field_search(&read(), ctx),
        Op::UsersFind => search::users_find(&read(), ctx),
        Op::PermittedUsers(name) => special::permitted_users(&read(), entity(name), ctx),
        Op::RoleSettings => settings::role_settings(&read(), ctx),
        Op::UserPermissions => settings::user_permissions(&read(), ctx),
        Op::UserRoleSettings => settings::user_role_settings(&read(), ctx),
        Op::RolePipelines => settings::role_pipelines(&read(), ctx),
        Op::UserSettings => settings::user_settings(),
        Op::UserConnections => settings::user_connections(&read(), ctx),
        Op::Addons => settings::addons(),
        Op::PermissionSets => settings::permission_sets_list(&read(), ctx),
        Op::PermissionSetAssignments => settings::permission_set_assignments(&read(), ctx),
        Op::OrgRelationships => special::org_relationships(&read(), ctx),
        Op::Merge(name) => actions::merge(&mut write(), entity(name), ctx),
        Op::Duplicate(name) => actions::duplicate(&mut write(), &mut dice(), entity(name), ctx),
        Op::Convert(from) => actions::convert(&mut write(), &mut dice(), from, ctx),
        Op::ConvertStatus(from) => actions::convert_status(&read(), from, ctx),
        Op::Upload => actions::upload(&mut write(), &mut dice(), ctx),
        Op::Download => actions::download(&read(), ctx),
        Op::ListArchived(name) => read::list_archived(&read(), entity(name), ctx),
        Op::Archive(name) => actions::archive(&mut write(), entity(name), ctx),
        Op::MailThreads => mail::threads(&read(), ctx),
        Op::DeleteMailThread => mail::delete_thread(&mut write(), ctx),
        Op::ThreadMessages => mail::thread_messages(&read(), ctx),
        Op::MailMessage => mail::message(&read(), ctx),
        Op::MailMessagesOf(name) => mail::messages_of(&read(), name, ctx),
        Op::ProjectActivities => linked::project_activities(&read(), ctx),
        Op::ProductDeals => linked::product_deals(&read(), ctx),
        Op::PersonProducts => linked::person_products(&read(), ctx),
        Op::PersonPicture => pictures::person_picture(&read(), ctx),
        Op::ProductImage if ctx.route.method == Method::Get => {
            pictures::product_image(&read(), ctx)
        }
        Op::ProductImage => pictures::change_product_image(&mut write(), ctx),
    }
}
