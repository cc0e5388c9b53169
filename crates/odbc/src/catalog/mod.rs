//! The catalog functions' result sets (SQLTables, SQLColumns, SQLPrimaryKeys, ...): the
//! engine finds the objects; here they are laid out in the columns and types the ODBC
//! reference gives each function.

mod keys;
mod procedures;
mod rows;
mod shapes;
mod tables;
mod type_rows;

pub use keys::{foreign_keys, primary_keys, special_columns, statistics};
pub use procedures::{procedure_columns, procedures};
pub use rows::{result, Shape, V};
pub use shapes::*;
pub use tables::{column_privileges, columns, table_privileges, tables};
pub use type_rows::type_info;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sys::*;
    use pipedrive_engine::arrow::datatypes::DataType;

    #[test]
    fn results_have_the_reference_shapes() {
        let (schema, batches) = result(TYPE_INFO, type_info(SQL_ALL_TYPES, SQL_OV_ODBC3));
        assert_eq!(schema.fields().len(), 19);
        assert!(batches[0].num_rows() >= 10);
        let (schema, batches) = result(COLUMNS, vec![]);
        assert_eq!(schema.field(4).data_type(), &DataType::Int16);
        assert_eq!(batches[0].num_rows(), 0);
        assert_eq!(result(FOREIGN_KEYS, vec![]).0.fields().len(), 14);
    }
}
