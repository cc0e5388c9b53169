//! Every API operation the sandbox answers, as data: version, method, path template (as the
//! official specs write it), what it does, and its `x-token-cost` from the specs.

use crate::entities::ApiVersion::{self, V1, V2};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub fn parse(m: &str) -> Option<Method> {
        Some(match m {
            "GET" => Method::Get,
            "POST" => Method::Post,
            "PUT" => Method::Put,
            "PATCH" => Method::Patch,
            "DELETE" => Method::Delete,
            _ => return None,
        })
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
    pub fn is_write(self) -> bool {
        self != Method::Get
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// List an entity (a child entity when the template has the parent `{id}`).
    List(&'static str),
    Read(&'static str),
    Create(&'static str),
    Update(&'static str),
    Remove(&'static str),
    /// `DELETE /collection?ids=1,2` (v1)
    BulkDelete(&'static str),
    FieldList(&'static str),
    FieldGet(&'static str),
    FieldCreate(&'static str),
    FieldUpdate(&'static str),
    FieldDelete(&'static str),
    /// `POST|PATCH|DELETE /*Fields/{field_code}/options`: add, relabel or remove options
    FieldOptions(&'static str),
    Me,
    LeadSources,
    /// `GET /{collection}/search` (v2): records of one kind (`deal`, `person`, ...) matching a
    /// term.
    Search(&'static str),
    /// `GET /itemSearch` (v2): records of any kinds matching a term.
    ItemSearch,
    /// `GET /itemSearch/field` (v2): values of one field matching a term.
    FieldSearch,
    /// `GET /users/find` (v1): users by name or email.
    UsersFind,
    GoalsFind,
    /// `GET /{collection}/{id}/flow` (v1): a record's changes, notes and activities.
    Flow(&'static str),
    /// `GET /{collection}/{id}/changelog`: the changes of a record's values.
    Changelog(&'static str),
    /// `GET /deals/{id}/participantsChangelog` (v1).
    ParticipantsChangelog,
    /// `GET /projects/{id}/groups` (v1).
    ProjectGroups,
    /// `GET /projects/{id}/plan` (v1).
    ProjectPlan,
    /// `GET /{collection}/{id}/followers/changelog` (v2), of this followers collection.
    FollowersChangelog(&'static str),
    Recents,
    /// `GET /deals/summary` (v1).
    DealsSummary,
    /// `GET /deals/timeline` (v1).
    DealsTimeline,
    /// `GET /goals/{id}/results` (v1).
    GoalResults,
    /// `GET /pipelines/{id}/conversion_statistics` (v1).
    ConversionStatistics,
    /// `GET /pipelines/{id}/movement_statistics` (v1).
    MovementStatistics,
    /// `GET /{collection}/{id}/permittedUsers` (v1): the ids of the users who may see the row.
    PermittedUsers(&'static str),
    /// `GET /{collection}/{id}/{entity}` (v1): the entity's rows whose attribute holds `{id}`
    /// (a deal's files, a project's tasks).
    ListUnder(&'static str, &'static str),
    /// `GET /organizationRelationships?org_id=` (v1): an organization's relationships, each
    /// as seen from it.
    OrgRelationships,
    /// `GET /roles/{id}/settings` (v1): a role's default visibilities and access levels.
    RoleSettings,
    /// `GET /users/{id}/permissions` (v1).
    UserPermissions,
    /// `GET /users/{id}/roleSettings` (v1): the settings of the user's role.
    UserRoleSettings,
    /// `GET /roles/{id}/pipelines` (v1).
    RolePipelines,
    /// `GET /userSettings` (v1): the signed-in user's.
    UserSettings,
    /// `GET /userConnections` (v1): the signed-in user's.
    UserConnections,
    /// `GET /billing/subscriptions/addons` (v1).
    Addons,
    /// `GET /permissionSets` (v1).
    PermissionSets,
    /// `GET /permissionSets/{id}/assignments` (v1).
    PermissionSetAssignments,
    /// `PUT /{collection}/{id}/merge`: the row is merged into `merge_with_id`.
    Merge(&'static str),
    Duplicate(&'static str),
    /// A lead to a deal (`leads`) or a deal to a lead (`deals`): a conversion job.
    Convert(&'static str),
    ConvertStatus(&'static str),
    /// `POST /files` (multipart).
    Upload,
    /// `GET /files/{id}/download`: the file's bytes.
    Download,
    /// `GET /{collection}/archived`: the entity's archived rows.
    ListArchived(&'static str),
    /// `POST /{collection}/{id}/archive` (v2): the row archived.
    Archive(&'static str),
    /// `GET /mailbox/mailThreads?folder=` (v1): the threads of one mailbox folder.
    MailThreads,
    /// `DELETE /mailbox/mailThreads/{id}` (v1): the thread and its messages marked deleted.
    DeleteMailThread,
    /// `GET /mailbox/mailThreads/{id}/mailMessages` (v1): all messages of a thread.
    ThreadMessages,
    /// `GET /mailbox/mailMessages/{id}` (v1).
    MailMessage,
    /// `GET /{collection}/{id}/mailMessages` (v1): the mail messages of a deal, a person or an
    /// organization.
    MailMessagesOf(&'static str),
    /// `GET /projects/{id}/activities` (v1).
    ProjectActivities,
    /// `GET /products/{id}/deals` (v1): the deals the product is attached to.
    ProductDeals,
    /// `GET /persons/{id}/products` (v1): the products attached to the person's deals.
    PersonProducts,
    /// `GET /persons/{id}/picture` (v2).
    PersonPicture,
    /// `GET|POST|PUT|DELETE /products/{id}/images` (v2): a product's image.
    ProductImage,
}

#[derive(Clone, Copy, Debug)]
pub struct Route {
    pub version: ApiVersion,
    pub method: Method,
    pub template: &'static str,
    pub op: Op,
    pub cost: u32,
    /// 201 where the spec answers a create with it, else 200.
    pub created: bool,
}

const fn r(
    version: ApiVersion,
    method: Method,
    template: &'static str,
    op: Op,
    cost: u32,
) -> Route {
    Route {
        version,
        method,
        template,
        op,
        cost,
        created: false,
    }
}
const fn c(version: ApiVersion, template: &'static str, op: Op, cost: u32) -> Route {
    Route {
        version,
        method: Method::Post,
        template,
        op,
        cost,
        created: true,
    }
}

use Method::*;
use Op::*;

#[rustfmt::skip]
pub static ROUTES: &[Route] = &[
    // API v2: the core entities
    r(V2, Get, "/deals", List("deals"), 10),
    r(V2, Post, "/deals", Create("deals"), 5),
    r(V2, Get, "/deals/search", Search("deal"), 20),
    r(V2, Get, "/deals/installments", List("dealInstallments"), 10),
    r(V2, Get, "/deals/{id}/discounts", List("dealDiscounts"), 10),
    r(V2, Get, "/products/{id}/variations", List("productVariations"), 10),
    r(V2, Get, "/boards", List("boards"), 10),
    r(V2, Get, "/phases", List("phases"), 10),
    c(V2, "/deals/{id}/discounts", Create("dealDiscounts"), 5),
    r(V2, Patch, "/deals/{id}/discounts/{discount_id}", Update("dealDiscounts"), 5),
    r(V2, Delete, "/deals/{id}/discounts/{discount_id}", Remove("dealDiscounts"), 3),
    r(V2, Post, "/deals/{id}/installments", Create("dealInstallments"), 5),
    r(V2, Patch, "/deals/{id}/installments/{installment_id}", Update("dealInstallments"), 5),
    r(V2, Delete, "/deals/{id}/installments/{installment_id}", Remove("dealInstallments"), 3),
    c(V2, "/products/{id}/variations", Create("productVariations"), 5),
    r(V2, Patch, "/products/{id}/variations/{product_variation_id}", Update("productVariations"), 5),
    r(V2, Delete, "/products/{id}/variations/{product_variation_id}", Remove("productVariations"), 3),
    r(V2, Post, "/boards", Create("boards"), 5),
    r(V2, Patch, "/boards/{id}", Update("boards"), 5),
    r(V2, Delete, "/boards/{id}", Remove("boards"), 3),
    r(V2, Post, "/phases", Create("phases"), 5),
    r(V2, Patch, "/phases/{id}", Update("phases"), 5),
    r(V2, Delete, "/phases/{id}", Remove("phases"), 3),
    r(V2, Get, "/projectTemplates", List("projectTemplates"), 10),
    r(V2, Get, "/deals/{id}", Read("deals"), 1),
    r(V2, Patch, "/deals/{id}", Update("deals"), 5),
    r(V2, Delete, "/deals/{id}", Remove("deals"), 3),
    r(V2, Get, "/persons", List("persons"), 10),
    r(V2, Post, "/persons", Create("persons"), 5),
    r(V2, Get, "/persons/search", Search("person"), 20),
    r(V2, Get, "/persons/{id}", Read("persons"), 1),
    r(V2, Patch, "/persons/{id}", Update("persons"), 5),
    r(V2, Delete, "/persons/{id}", Remove("persons"), 3),
    r(V2, Get, "/organizations", List("organizations"), 10),
    r(V2, Post, "/organizations", Create("organizations"), 5),
    r(V2, Get, "/organizations/search", Search("organization"), 20),
    r(V2, Get, "/organizations/{id}", Read("organizations"), 1),
    r(V2, Patch, "/organizations/{id}", Update("organizations"), 5),
    r(V2, Delete, "/organizations/{id}", Remove("organizations"), 3),
    r(V2, Get, "/activities", List("activities"), 10),
    r(V2, Post, "/activities", Create("activities"), 5),
    r(V2, Get, "/activities/{id}", Read("activities"), 1),
    r(V2, Patch, "/activities/{id}", Update("activities"), 5),
    r(V2, Delete, "/activities/{id}", Remove("activities"), 3),
    r(V2, Get, "/products", List("products"), 10),
    c(V2, "/products", Create("products"), 5),
    r(V2, Get, "/products/search", Search("product"), 20),
    r(V2, Get, "/products/{id}", Read("products"), 1),
    r(V2, Patch, "/products/{id}", Update("products"), 5),
    r(V2, Delete, "/products/{id}", Remove("products"), 3),
    r(V2, Get, "/pipelines", List("pipelines"), 5),
    r(V2, Post, "/pipelines", Create("pipelines"), 5),
    r(V2, Get, "/pipelines/{id}", Read("pipelines"), 1),
    r(V2, Patch, "/pipelines/{id}", Update("pipelines"), 5),
    r(V2, Delete, "/pipelines/{id}", Remove("pipelines"), 3),
    r(V2, Get, "/stages", List("stages"), 5),
    r(V2, Post, "/stages", Create("stages"), 5),
    r(V2, Get, "/stages/{id}", Read("stages"), 1),
    r(V2, Patch, "/stages/{id}", Update("stages"), 5),
    r(V2, Delete, "/stages/{id}", Remove("stages"), 3),
    r(V2, Get, "/projects", List("projects"), 10),
    c(V2, "/projects", Create("projects"), 5),
    r(V2, Get, "/projects/search", Search("project"), 20),
    r(V2, Get, "/projects/{id}", Read("projects"), 1),
    r(V2, Patch, "/projects/{id}", Update("projects"), 5),
    r(V2, Delete, "/projects/{id}", Remove("projects"), 3),
    // API v2: deal children
    r(V2, Get, "/deals/products", List("dealProducts"), 10),
    r(V2, Get, "/deals/{id}/products", List("dealProducts"), 10),
    c(V2, "/deals/{id}/products", Create("dealProducts"), 5),
    r(V2, Patch, "/deals/{id}/products/{product_attachment_id}", Update("dealProducts"), 5),
    r(V2, Delete, "/deals/{id}/products/{product_attachment_id}", Remove("dealProducts"), 3),
    r(V2, Delete, "/deals/{id}/products", BulkDelete("dealProducts"), 15),
    r(V2, Get, "/deals/{id}/followers", List("dealFollowers"), 10),
    c(V2, "/deals/{id}/followers", Create("dealFollowers"), 5),
    r(V2, Delete, "/deals/{id}/followers/{follower_id}", Remove("dealFollowers"), 3),
    // API v2: field definitions
    r(V1, Get, "/dealFields", FieldList("dealFields"), 20),
    r(V1, Get, "/personFields", FieldList("personFields"), 20),
    r(V1, Get, "/organizationFields", FieldList("organizationFields"), 20),
    r(V1, Get, "/productFields", FieldList("productFields"), 20),
    r(V1, Get, "/activityFields", FieldList("activityFields"), 20),
    r(V1, Get, "/noteFields", FieldList("noteFields"), 20),
    r(V2, Get, "/dealFields", FieldList("dealFields"), 10),
    r(V2, Post, "/dealFields", FieldCreate("dealFields"), 5),
    r(V2, Get, "/dealFields/{field_code}", FieldGet("dealFields"), 1),
    r(V2, Patch, "/dealFields/{field_code}", FieldUpdate("dealFields"), 5),
    r(V2, Delete, "/dealFields/{field_code}", FieldDelete("dealFields"), 3),
    r(V2, Post, "/dealFields/{field_code}/options", FieldOptions("dealFields"), 5),
    r(V2, Patch, "/dealFields/{field_code}/options", FieldOptions("dealFields"), 5),
    r(V2, Delete, "/dealFields/{field_code}/options", FieldOptions("dealFields"), 3),
    r(V2, Get, "/personFields", FieldList("personFields"), 10),
    r(V2, Post, "/personFields", FieldCreate("personFields"), 5),
    r(V2, Get, "/personFields/{field_code}", FieldGet("personFields"), 1),
    r(V2, Patch, "/personFields/{field_code}", FieldUpdate("personFields"), 5),
    r(V2, Delete, "/personFields/{field_code}", FieldDelete("personFields"), 3),
    r(V2, Post, "/personFields/{field_code}/options", FieldOptions("personFields"), 5),
    r(V2, Patch, "/personFields/{field_code}/options", FieldOptions("personFields"), 5),
    r(V2, Delete, "/personFields/{field_code}/options", FieldOptions("personFields"), 3),
    r(V2, Get, "/organizationFields", FieldList("organizationFields"), 10),
    r(V2, Post, "/organizationFields", FieldCreate("organizationFields"), 5),
    r(V2, Get, "/organizationFields/{field_code}", FieldGet("organizationFields"), 1),
    r(V2, Patch, "/organizationFields/{field_code}", FieldUpdate("organizationFields"), 5),
    r(V2, Delete, "/organizationFields/{field_code}", FieldDelete("organizationFields"), 3),
    r(V2, Post, "/organizationFields/{field_code}/options", FieldOptions("organizationFields"), 5),
    r(V2, Patch, "/organizationFields/{field_code}/options", FieldOptions("organizationFields"), 5),
    r(V2, Delete, "/organizationFields/{field_code}/options", FieldOptions("organizationFields"), 3),
    r(V2, Get, "/productFields", FieldList("productFields"), 10),
    r(V2, Post, "/productFields", FieldCreate("productFields"), 5),
    r(V2, Get, "/productFields/{field_code}", FieldGet("productFields"), 1),
    r(V2, Patch, "/productFields/{field_code}", FieldUpdate("productFields"), 5),
    r(V2, Delete, "/productFields/{field_code}", FieldDelete("productFields"), 3),
    r(V2, Post, "/productFields/{field_code}/options", FieldOptions("productFields"), 5),
    r(V2, Patch, "/productFields/{field_code}/options", FieldOptions("productFields"), 5),
    r(V2, Delete, "/productFields/{field_code}/options", FieldOptions("productFields"), 3),
    r(V2, Get, "/activityFields", FieldList("activityFields"), 10),
    r(V2, Get, "/activityFields/{field_code}", FieldGet("activityFields"), 1),
    r(V2, Get, "/projectFields", FieldList("projectFields"), 10),
    r(V2, Post, "/projectFields", FieldCreate("projectFields"), 5),
    r(V2, Get, "/projectFields/{field_code}", FieldGet("projectFields"), 1),
    r(V2, Patch, "/projectFields/{field_code}", FieldUpdate("projectFields"), 5),
    r(V2, Delete, "/projectFields/{field_code}", FieldDelete("projectFields"), 3),
    r(V2, Post, "/projectFields/{field_code}/options", FieldOptions("projectFields"), 5),
    r(V2, Patch, "/projectFields/{field_code}/options", FieldOptions("projectFields"), 5),
    r(V2, Delete, "/projectFields/{field_code}/options", FieldOptions("projectFields"), 3),
    // API v1
    r(V1, Get, "/users", List("users"), 20),
    r(V1, Post, "/users", Create("users"), 10),
    r(V1, Get, "/users/me", Me, 2),
    r(V1, Get, "/users/find", UsersFind, 40),
    r(V1, Get, "/users/{id}", Read("users"), 2),
    r(V1, Put, "/users/{id}", Update("users"), 10),
    r(V1, Get, "/notes", List("notes"), 20),
    r(V1, Post, "/notes", Create("notes"), 10),
    r(V1, Get, "/notes/{id}", Read("notes"), 2),
    r(V1, Put, "/notes/{id}", Update("notes"), 10),
    r(V1, Delete, "/notes/{id}", Remove("notes"), 6),
    r(V1, Get, "/leads", List("leads"), 20),
    r(V2, Get, "/leads/search", Search("lead"), 20),
    r(V2, Get, "/itemSearch", ItemSearch, 20),
    r(V2, Get, "/itemSearch/field", FieldSearch, 20),
    c(V1, "/leads", Create("leads"), 10),
    r(V1, Get, "/leads/{id}", Read("leads"), 2),
    r(V1, Patch, "/leads/{id}", Update("leads"), 10),
    r(V1, Delete, "/leads/{id}", Remove("leads"), 6),
    r(V1, Get, "/leadLabels", List("leadLabels"), 10),
    r(V1, Post, "/leadLabels", Create("leadLabels"), 10),
    r(V1, Patch, "/leadLabels/{id}", Update("leadLabels"), 10),
    r(V1, Delete, "/leadLabels/{id}", Remove("leadLabels"), 6),
    r(V1, Get, "/leadSources", LeadSources, 2),
    r(V1, Get, "/currencies", List("currencies"), 20),
    r(V1, Get, "/activityTypes", List("activityTypes"), 20),
    r(V1, Post, "/activityTypes", Create("activityTypes"), 10),
    r(V1, Put, "/activityTypes/{id}", Update("activityTypes"), 10),
    r(V1, Delete, "/activityTypes/{id}", Remove("activityTypes"), 6),
    r(V1, Get, "/callLogs", List("callLogs"), 20),
    r(V1, Post, "/callLogs", Create("callLogs"), 10),
    r(V1, Get, "/callLogs/{id}", Read("callLogs"), 2),
    r(V1, Delete, "/callLogs/{id}", Remove("callLogs"), 6),
    r(V1, Get, "/files", List("files"), 20),
    r(V1, Get, "/files/{id}", Read("files"), 2),
    r(V1, Put, "/files/{id}", Update("files"), 10),
    r(V1, Delete, "/files/{id}", Remove("files"), 6),
    r(V1, Get, "/filters", List("filters"), 20),
    r(V1, Post, "/filters", Create("filters"), 10),
    r(V1, Delete, "/filters", BulkDelete("filters"), 10),
    r(V1, Get, "/filters/{id}", Read("filters"), 2),
    r(V1, Put, "/filters/{id}", Update("filters"), 10),
    r(V1, Delete, "/filters/{id}", Remove("filters"), 6),
    r(V1, Post, "/goals", Create("goals"), 10),
    r(V1, Get, "/goals/find", GoalsFind, 20),
    r(V1, Put, "/goals/{id}", Update("goals"), 10),
    r(V1, Delete, "/goals/{id}", Remove("goals"), 6),
    r(V1, Get, "/roles", List("roles"), 20),
    r(V1, Post, "/roles", Create("roles"), 10),
    r(V1, Get, "/roles/{id}", Read("roles"), 2),
    r(V1, Put, "/roles/{id}", Update("roles"), 10),
    r(V1, Delete, "/roles/{id}", Remove("roles"), 6),
    r(V1, Get, "/webhooks", List("webhooks"), 10),
    c(V1, "/webhooks", Create("webhooks"), 10),
    r(V1, Delete, "/webhooks/{id}", Remove("webhooks"), 6),
    r(V1, Get, "/deals/{id}/products", List("dealProducts"), 20),
    r(V1, Post, "/deals/{id}/products", Create("dealProducts"), 10),
    r(V1, Get, "/deals/{id}/participants", List("dealParticipants"), 10),
    r(V1, Post, "/deals/{id}/participants", Create("dealParticipants"), 10),
    r(V1, Delete, "/deals/{id}/participants/{deal_participant_id}", Remove("dealParticipants"), 6),
    r(V1, Get, "/deals/{id}/followers", List("dealFollowers"), 20),
    r(V1, Post, "/deals/{id}/followers", Create("dealFollowers"), 10),
    r(V1, Delete, "/deals/{id}/followers/{follower_id}", Remove("dealFollowers"), 6),
    r(V1, Get, "/deals/{id}/flow", Flow("deals"), 40),
    r(V1, Get, "/persons/{id}/flow", Flow("persons"), 40),
    r(V1, Get, "/organizations/{id}/flow", Flow("organizations"), 40),
    r(V1, Get, "/deals/{id}/changelog", Changelog("deals"), 20),
    r(V1, Get, "/persons/{id}/changelog", Changelog("persons"), 20),
    r(V1, Get, "/organizations/{id}/changelog", Changelog("organizations"), 20),
    r(V2, Get, "/projects/{id}/changelog", Changelog("projects"), 10),
    r(V1, Get, "/deals/{id}/participantsChangelog", ParticipantsChangelog, 10),
    r(V1, Get, "/projects/{id}/groups", ProjectGroups, 20),
    r(V1, Get, "/projects/{id}/plan", ProjectPlan, 20),
    r(V2, Get, "/deals/{id}/followers/changelog", FollowersChangelog("dealFollowers"), 10),
    r(V2, Get, "/persons/{id}/followers/changelog", FollowersChangelog("personFollowers"), 10),
    r(V2, Get, "/organizations/{id}/followers/changelog", FollowersChangelog("organizationFollowers"), 10),
    r(V2, Get, "/products/{id}/followers/changelog", FollowersChangelog("productFollowers"), 10),
    r(V1, Get, "/recents", Recents, 20),
    r(V1, Get, "/deals/summary", DealsSummary, 40),
    r(V1, Get, "/deals/timeline", DealsTimeline, 20),
    r(V1, Get, "/goals/{id}/results", GoalResults, 20),
    r(V1, Get, "/pipelines/{id}/conversion_statistics", ConversionStatistics, 40),
    r(V1, Get, "/pipelines/{id}/movement_statistics", MovementStatistics, 40),
    r(V1, Put, "/deals/{id}/merge", Merge("deals"), 40),
    r(V1, Put, "/persons/{id}/merge", Merge("persons"), 40),
    r(V1, Put, "/organizations/{id}/merge", Merge("organizations"), 40),
    r(V1, Post, "/deals/{id}/duplicate", Duplicate("deals"), 10),
    c(V2, "/products/{id}/duplicate", Duplicate("products"), 5),
    r(V2, Post, "/leads/{id}/convert/deal", Convert("leads"), 40),
    r(V2, Post, "/deals/{id}/convert/lead", Convert("deals"), 40),
    r(V2, Get, "/leads/{id}/convert/status/{conversion_id}", ConvertStatus("leads"), 1),
    r(V2, Get, "/deals/{id}/convert/status/{conversion_id}", ConvertStatus("deals"), 1),
    // followers of other records (v2), permitted users (v1)
    r(V2, Get, "/persons/{id}/followers", List("personFollowers"), 10),
    c(V2, "/persons/{id}/followers", Create("personFollowers"), 5),
    r(V2, Delete, "/persons/{id}/followers/{follower_id}", Remove("personFollowers"), 3),
    r(V2, Get, "/organizations/{id}/followers", List("organizationFollowers"), 10),
    c(V2, "/organizations/{id}/followers", Create("organizationFollowers"), 5),
    r(V2, Delete, "/organizations/{id}/followers/{follower_id}", Remove("organizationFollowers"), 3),
    r(V2, Get, "/products/{id}/followers", List("productFollowers"), 10),
    c(V2, "/products/{id}/followers", Create("productFollowers"), 5),
    r(V2, Delete, "/products/{id}/followers/{follower_id}", Remove("productFollowers"), 3),
    r(V2, Get, "/users/{id}/followers", List("userFollowers"), 10),
    r(V1, Get, "/deals/{id}/permittedUsers", PermittedUsers("deals"), 10),
    r(V1, Get, "/persons/{id}/permittedUsers", PermittedUsers("persons"), 10),
    r(V1, Get, "/organizations/{id}/permittedUsers", PermittedUsers("organizations"), 10),
    r(V1, Get, "/products/{id}/permittedUsers", PermittedUsers("products"), 10),
    r(V1, Get, "/leads/{id}/permittedUsers", PermittedUsers("leads"), 10),
    r(V2, Get, "/projects/{id}/permittedUsers", PermittedUsers("projects"), 5),
    // projects' tasks, note comments, role assignments and settings (v1)
    r(V1, Get, "/tasks", List("tasks"), 20),
    c(V1, "/tasks", Create("tasks"), 10),
    r(V1, Get, "/tasks/{id}", Read("tasks"), 2),
    r(V1, Put, "/tasks/{id}", Update("tasks"), 10),
    r(V1, Delete, "/tasks/{id}", Remove("tasks"), 6),
    r(V1, Get, "/notes/{id}/comments", List("noteComments"), 20),
    r(V1, Post, "/notes/{id}/comments", Create("noteComments"), 10),
    r(V1, Get, "/notes/{id}/comments/{commentId}", Read("noteComments"), 2),
    r(V1, Put, "/notes/{id}/comments/{commentId}", Update("noteComments"), 10),
    r(V1, Delete, "/notes/{id}/comments/{commentId}", Remove("noteComments"), 6),
    r(V1, Get, "/roles/{id}/assignments", List("roleAssignments"), 10),
    r(V1, Get, "/roles/{id}/settings", RoleSettings, 20),
    r(V1, Get, "/roles/{id}/pipelines", RolePipelines, 20),
    r(V1, Get, "/users/{id}/permissions", UserPermissions, 10),
    r(V1, Get, "/users/{id}/roleSettings", UserRoleSettings, 10),
    r(V1, Get, "/users/{id}/roleAssignments", ListUnder("roleAssignments", "user_id"), 10),
    r(V1, Get, "/userSettings", UserSettings, 2),
    r(V1, Get, "/userConnections", UserConnections, 20),
    r(V1, Get, "/billing/subscriptions/addons", Addons, 20),
    r(V1, Get, "/permissionSets", PermissionSets, 20),
    r(V1, Get, "/permissionSets/{id}/assignments", PermissionSetAssignments, 20),
    r(V1, Get, "/leadFields", FieldList("leadFields"), 20),
    r(V1, Get, "/organizationRelationships", OrgRelationships, 20),
    r(V1, Post, "/organizationRelationships", Create("organizationRelationships"), 10),
    r(V1, Get, "/organizationRelationships/{id}", Read("organizationRelationships"), 2),
    r(V1, Put, "/organizationRelationships/{id}", Update("organizationRelationships"), 10),
    r(V1, Delete, "/organizationRelationships/{id}", Remove("organizationRelationships"), 6),
    r(V1, Get, "/deals/{id}/files", ListUnder("files", "deal_id"), 20),
    r(V1, Get, "/persons/{id}/files", ListUnder("files", "person_id"), 20),
    r(V1, Get, "/organizations/{id}/files", ListUnder("files", "org_id"), 20),
    r(V1, Get, "/products/{id}/files", ListUnder("files", "product_id"), 20),
    r(V1, Get, "/projects/{id}/tasks", ListUnder("tasks", "project_id"), 20),
    r(V1, Post, "/files", Upload, 10),
    r(V1, Get, "/files/{id}/download", Download, 20),
    // archived rows
    r(V2, Get, "/deals/archived", ListArchived("deals"), 20),
    r(V2, Get, "/projects/archived", ListArchived("projects"), 10),
    r(V2, Post, "/projects/{id}/archive", Archive("projects"), 3),
    r(V1, Get, "/leads/archived", ListArchived("leads"), 40),
    // the mailbox (v1)
    r(V1, Get, "/mailbox/mailThreads", MailThreads, 20),
    r(V1, Get, "/mailbox/mailThreads/{id}", Read("mailThreads"), 20),
    r(V1, Put, "/mailbox/mailThreads/{id}", Update("mailThreads"), 10),
    r(V1, Delete, "/mailbox/mailThreads/{id}", DeleteMailThread, 6),
    r(V1, Get, "/mailbox/mailThreads/{id}/mailMessages", ThreadMessages, 20),
    r(V1, Get, "/mailbox/mailMessages/{id}", MailMessage, 2),
    r(V1, Get, "/deals/{id}/mailMessages", MailMessagesOf("deals"), 20),
    r(V1, Get, "/persons/{id}/mailMessages", MailMessagesOf("persons"), 20),
    r(V1, Get, "/organizations/{id}/mailMessages", MailMessagesOf("organizations"), 20),
    // rows of one record seen from another
    r(V1, Get, "/projects/{id}/activities", ProjectActivities, 20),
    r(V1, Get, "/products/{id}/deals", ProductDeals, 20),
    r(V1, Get, "/persons/{id}/products", PersonProducts, 20),
    // pictures of persons, images of products (v2)
    r(V2, Get, "/persons/{id}/picture", PersonPicture, 1),
    r(V2, Get, "/products/{id}/images", ProductImage, 10),
    c(V2, "/products/{id}/images", ProductImage, 20),
    r(V2, Put, "/products/{id}/images", ProductImage, 20),
    r(V2, Delete, "/products/{id}/images", ProductImage, 6),
    // project tasks in their v2 shape
    r(V2, Get, "/tasks", List("tasks"), 10),
    c(V2, "/tasks", Create("tasks"), 5),
    r(V2, Get, "/tasks/{id}", Read("tasks"), 1),
    r(V2, Patch, "/tasks/{id}", Update("tasks"), 5),
    r(V2, Delete, "/tasks/{id}", Remove("tasks"), 3),
];

/// Path parameters of a matched route, in template order.
pub type PathParams = Vec<(&'static str, String)>;

/// Finds the route for a method and a path below `/api/v1` or `/api/v2`.
pub fn find(
    version: ApiVersion,
    method: Method,
    path: &str,
) -> Option<(&'static Route, PathParams)> {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    ROUTES
        .iter()
        .filter(|r| r.version == version && r.method == method)
        .filter_map(|r| match_template(r.template, &segments).map(|p| (r, p)))
        // a literal segment beats a parameter: `/deals/products` is not deal "products"
        .min_by_key(|(_, params)| params.len())
}

/// Whether any method is routed at this path (405-style answers need it).
pub fn path_known(version: ApiVersion, path: &str) -> bool {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    ROUTES
        .iter()
        .any(|r| r.version == version && match_template(r.template, &segments).is_some())
}

fn match_template(template: &'static str, segments: &[&str]) -> Option<PathParams> {
    let parts: Vec<&'static str> = template.split('/').collect();
    if parts.len() != segments.len() {
        return None;
    }
    let mut params = Vec::new();
    for (part, seg) in parts.iter().zip(segments) {
        if let Some(name) = part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            if seg.is_empty() {
                return None;
            }
            params.push((name, percent_decode(seg)));
        } else if part != seg {
            return None;
        }
    }
    Some(params)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 3 <= bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_segments_win_over_parameters() {
        let (route, params) = find(V2, Get, "/deals/products").expect("route");
        assert_eq!(route.template, "/deals/products");
        assert!(params.is_empty());
        let (route, params) = find(V2, Get, "/deals/42/products").expect("route");
        assert_eq!(route.template, "/deals/{id}/products");
        assert_eq!(params, vec![("id", "42".to_string())]);
        let (route, _) = find(V1, Get, "/users/me").expect("route");
        assert_eq!(route.op, Op::Me);
        assert!(find(V2, Put, "/deals/1").is_none());
    }

    #[test]
    fn every_entity_route_names_a_catalogued_entity() {
        for route in ROUTES {
            if let Op::List(e)
            | Op::Read(e)
            | Op::Create(e)
            | Op::Update(e)
            | Op::Remove(e)
            | Op::BulkDelete(e)
            | Op::ListArchived(e)
            | Op::Archive(e) = route.op
            {
                let _ = crate::entities::entity(e);
            }
        }
    }
}
