//! What a table entry says: its endpoint, its columns (SQL name, JSON path, SQL type), its key,
//! which WHERE shapes become which API parameters, its writes and its parent table.

use pipedrive_api::{ApiVersion, TimeWindows};

/// Digits of a money column (SQL Server's MONEY): up to 10^15 in any currency.
pub const MONEY_PRECISION: u8 = 19;
/// Decimal places of a money column: the most a currency has (ISO 4217: 4).
pub const MONEY_SCALE: i8 = 4;

/// SQL types of columns, as the engine presents them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColType {
    BigInt,
    Double,
    /// An amount of money: exact decimal with [`MONEY_SCALE`] places, the most any currency
    /// has, so sums do not drift.
    Money,
    Boolean,
    /// Text the API sets no length for (titles, names, emails...).
    Text,
    /// Text the API keeps to 255 characters: custom text fields, option labels.
    Varchar,
    /// UTC timestamp.
    Timestamp,
    Date,
    Time,
    /// Free text that may be long (notes, descriptions).
    LongText,
    /// A nested structure, as JSON text.
    Json,
}

impl ColType {
    /// The most characters a value holds, where the API has a limit (custom text fields and
    /// option labels: 255). Other text has none the API states, and is long text to clients.
    pub fn max_length(self) -> Option<usize> {
        match self {
            ColType::Varchar => Some(255),
            _ => None,
        }
    }

    /// The SQL type name listings show.
    pub fn sql_name(self) -> &'static str {
        match self {
            ColType::BigInt => "BIGINT",
            ColType::Double => "DOUBLE",
            ColType::Money => "DECIMAL(19,4)",
            ColType::Boolean => "BOOLEAN",
            ColType::Text | ColType::Varchar => "VARCHAR",
            ColType::LongText | ColType::Json => "LONGVARCHAR",
            ColType::Timestamp => "TIMESTAMP",
            ColType::Date => "DATE",
            ColType::Time => "TIME",
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct ColumnDef {
    /// SQL name (PascalCase of the API name).
    pub name: &'static str,
    /// Where the value is in a record: keys separated by `.` (`address.country`).
    pub path: &'static str,
    pub ty: ColType,
}

pub(crate) const fn c(name: &'static str, path: &'static str, ty: ColType) -> ColumnDef {
    ColumnDef { name, path, ty }
}

/// How a comparison on a column becomes an API query parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Push {
    /// `column = value` -> `param=value`
    Eq(&'static str, &'static str),
    /// `column = value` -> `param=value` when the value is one the API accepts
    OneOf(&'static str, &'static str, &'static [&'static str]),
    /// `column IN (...)` or `column = value` -> `param=a,b,c`
    In(&'static str, &'static str),
    /// `column >= t` (or `>`) -> `param=t` (e.g. `updated_since`)
    Since(&'static str, &'static str),
    /// `column < t` (or `<=`) -> `param=t` (e.g. `updated_until`)
    Until(&'static str, &'static str),
}

impl Push {
    pub fn column(&self) -> &'static str {
        match self {
            Push::Eq(c, _)
            | Push::OneOf(c, _, _)
            | Push::In(c, _)
            | Push::Since(c, _)
            | Push::Until(c, _) => c,
        }
    }
    pub fn param(&self) -> &'static str {
        match self {
            Push::Eq(_, p)
            | Push::OneOf(_, p, _)
            | Push::In(_, p)
            | Push::Since(_, p)
            | Push::Until(_, p) => p,
        }
    }
}

/// Whether SQL may write to it (tables) or only read it (views).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Table,
    View,
}

/// Rows that belong to a row of another table (a deal's products, followers, participants).
#[derive(Clone, Copy, Debug)]
pub struct Parent {
    /// The parent table (SQL name).
    pub table: &'static str,
    /// The column holding the parent's key (SQL name), e.g. `DealId`.
    pub column: &'static str,
    /// Its JSON key, added to records that do not carry it.
    pub field: &'static str,
    pub fetch: ChildFetch,
}

/// A child table's link to its parent `table`: the parent's key in `column` (`field` in the
/// records), listed as `fetch` says.
pub(crate) const fn child_of(
    table: &'static str,
    column: &'static str,
    field: &'static str,
    fetch: ChildFetch,
) -> Option<Parent> {
    Some(Parent {
        table,
        column,
        field,
        fetch,
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChildFetch {
    /// One list per parent: `path` has `{id}` for the parent key.
    PerParent,
    /// Lists for up to `max` parents at a time, their keys in `param` (with `max` 1, records
    /// need not carry the parent's key).
    Batched { param: &'static str, max: usize },
}

#[derive(Debug)]
pub struct TableDef {
    /// SQL name (`Deals`).
    pub name: &'static str,
    pub version: ApiVersion,
    /// List endpoint below `/api/vN` (`/deals`).
    pub path: &'static str,
    /// Single-row endpoint, `{id}` replaced by the key (`/deals/{id}`).
    pub get_path: Option<&'static str>,
    pub columns: &'static [ColumnDef],
    /// Key column (SQL name); [`NO_KEY`] for views whose rows have none.
    pub key: &'static str,
    /// The `*Fields` endpoint (v2) whose custom fields the records carry in `custom_fields`.
    pub custom_fields: Option<&'static str>,
    pub pushdown: &'static [Push],
    /// Columns the API can sort by: (SQL column, `sort_by` value).
    pub sorts: &'static [(&'static str, &'static str)],
    pub kind: Kind,
    pub parent: Option<Parent>,
    /// For lists answered as `data: {key: [...]}`: the key.
    pub rows_at: Option<&'static str>,
    /// Rows are the elements of this array in each listed record (field options); the record
    /// itself is reachable under the path prefix [`PARENT_RECORD`].
    pub explode: Option<&'static str>,
    /// Each listed element is a bare value (a user id), given to the columns under this key.
    pub scalars: Option<&'static str>,
    /// Each listed element is an object of one key (a deal's id) whose value is the row.
    pub keyed: bool,
    /// A parameter the list requires, one of a few values (a mail folder): see [`Each`].
    pub each: Option<Each>,
    /// The answer is one object, the table's only row (per parent, for child tables).
    pub one_row: bool,
    /// The view holds the listed records whose value at this key is not null (a deal's
    /// activities are the activities with a deal).
    pub only_with: Option<&'static str>,
    /// How INSERT, UPDATE and DELETE reach the API (none: read only).
    pub writes: Option<Writes>,
    /// The list parameter and value that list the rows deleted lately (deals: `status=deleted`,
    /// the last 30 days), which lets the local cache find deletions without a whole read.
    pub deleted: Option<(&'static str, &'static str)>,
    /// The arguments of a table function (a search, a timeline): the API's list needs values
    /// that are not columns of its rows, given in the call, `SELECT * FROM DealsSearch('acme')`.
    /// Empty for tables and views.
    pub args: &'static [Arg],
}

/// A parameter a list requires, which takes one of a few values (a mail folder): a filter
/// `column = value` (a [`Push::OneOf`] of the table) asks for that value alone; without one each
/// value is listed in turn, and a row listed under several is kept under the first. Rows carry
/// the value they were listed under in `column` (at the key `param` of the record).
#[derive(Clone, Copy, Debug)]
pub struct Each {
    pub column: &'static str,
    pub param: &'static str,
    pub values: &'static [&'static str],
}

/// An argument of a table function: its name, the list parameter it becomes, its type, and
/// whether a call must give it (optional ones come after the required ones).
#[derive(Clone, Copy, Debug)]
pub struct Arg {
    pub name: &'static str,
    pub param: &'static str,
    pub ty: ColType,
    pub required: bool,
    pub remarks: &'static str,
}

/// A required argument.
pub(crate) const fn arg(
    name: &'static str,
    param: &'static str,
    ty: ColType,
    remarks: &'static str,
) -> Arg {
    Arg {
        name,
        param,
        ty,
        required: true,
        remarks,
    }
}

/// An argument a call may leave out.
pub(crate) const fn optional(
    name: &'static str,
    param: &'static str,
    ty: ColType,
    remarks: &'static str,
) -> Arg {
    Arg {
        required: false,
        ..arg(name, param, ty, remarks)
    }
}

/// The write endpoints of a table, below `/api/vN` of `version`. In paths `{id}` is the row's
/// key and `{parent}` its parent row's key (child tables).
#[derive(Clone, Copy, Debug)]
pub struct Writes {
    pub version: ApiVersion,
    /// `POST` endpoint of INSERT.
    pub insert: Option<&'static str>,
    /// Endpoint of UPDATE, with its method.
    pub update: Option<(Verb, &'static str)>,
    /// `DELETE` endpoint of one row.
    pub delete: Option<&'static str>,
    /// `DELETE` endpoint of many rows at once (`?ids=1,2,3`), with the most ids it takes.
    pub bulk_delete: Option<(&'static str, usize)>,
    /// Standard columns INSERT and UPDATE may set (custom fields are writable too).
    pub columns: &'static [&'static str],
    /// Columns an INSERT must give a value.
    pub required: &'static [&'static str],
}

impl Writes {
    /// Nothing writable: entries start from it.
    pub const NONE: Writes = Writes {
        version: ApiVersion::V2,
        insert: None,
        update: None,
        delete: None,
        bulk_delete: None,
        columns: &[],
        required: &[],
    };

    pub fn writable(&self, column: &str) -> bool {
        self.columns.iter().any(|c| c.eq_ignore_ascii_case(column))
    }
}

/// The method of an update endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verb {
    Put,
    Patch,
}

/// The key of a view whose rows have none of their own (the elements of a nested array).
pub const NO_KEY: &str = "";

/// The column of a record's last update, where a table has one.
pub const UPDATE_TIME: &str = "UpdateTime";

/// Where an exploded row keeps the record it came from.
pub const PARENT_RECORD: &str = "_parent";

impl TableDef {
    /// The defaults entries start from.
    pub const BASE: TableDef = TableDef {
        name: "",
        version: ApiVersion::V2,
        path: "",
        get_path: None,
        columns: &[],
        key: "Id",
        custom_fields: None,
        pushdown: &[],
        sorts: &[],
        kind: Kind::View,
        parent: None,
        rows_at: None,
        explode: None,
        scalars: None,
        keyed: false,
        each: None,
        one_row: false,
        only_with: None,
        writes: None,
        deleted: None,
        args: &[],
    };

    /// `GET /api/v2/deals`, for listings.
    pub fn endpoint_text(&self) -> String {
        format!("GET {}{}", self.version.prefix(), self.path)
    }

    pub fn kind(&self) -> &'static str {
        match self.kind {
            Kind::Table => "TABLE",
            Kind::View => "VIEW",
        }
    }
}

impl TableDef {
    pub fn column(&self, name: &str) -> Option<&ColumnDef> {
        self.columns
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
    }
    pub fn pushes_for(&self, column: &str) -> Vec<&Push> {
        self.pushdown
            .iter()
            .filter(|p| p.column().eq_ignore_ascii_case(column))
            .collect()
    }

    /// The list parameter asking for rows updated since a time, when the API has one.
    pub fn updated_since(&self) -> Option<&'static str> {
        self.pushdown.iter().find_map(|p| match p {
            Push::Since(UPDATE_TIME, param) => Some(*param),
            _ => None,
        })
    }

    /// How a whole-table walk can be cut into update-time windows: when the API filters the
    /// list by update time both ways and sorts it by that time.
    pub fn time_windows(&self) -> Option<TimeWindows> {
        let since_param = self.updated_since()?;
        let until_param = self.pushdown.iter().find_map(|p| match p {
            Push::Until(UPDATE_TIME, param) => Some(*param),
            _ => None,
        })?;
        let sort_by = self.sorts.iter().find(|(c, _)| *c == UPDATE_TIME)?.1;
        let field = self.column(UPDATE_TIME)?.path;
        Some(TimeWindows {
            since_param,
            until_param,
            sort_by,
            field,
        })
    }
}
