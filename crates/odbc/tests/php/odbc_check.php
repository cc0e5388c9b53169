<?php
// The driver through unixODBC with PHP's odbc extension (odbc_*): run by tests/apps.rs as
//   php odbc_check.php DSN BASE_URL API_TOKEN
// Every value read through ODBC is compared with the raw value of the sandbox's REST API.

declare(strict_types=1);

require __DIR__ . '/api.php';

[$dsn, $checks, $deals, $columns, $byId, $longest] = setup($argv, 'odbc_check.php');

/** The rows of a result as arrays keyed by column name (NULL as null), and the column names. */
function fetch_all($result): array
{
    $names = [];
    for ($i = 1; $i <= odbc_num_fields($result); $i++) {
        $names[] = odbc_field_name($result, $i);
    }
    $rows = [];
    while (($row = odbc_fetch_array($result)) !== false) {
        $rows[] = $row;
    }
    return [$rows, $names];
}

$conn = null;
$checks->run('connect', function () use (&$conn, $dsn) {
    $conn = odbc_connect($dsn, '', '');
});
if (!$conn) {
    $checks->finish('php odbc');
}

$checks->run('SELECT * FROM Deals', function () use ($conn, $deals, $columns, $longest, $checks) {
    $result = odbc_exec($conn, 'SELECT * FROM Deals');
    [$rows, $names] = fetch_all($result);
    odbc_free_result($result);
    check_select_star($checks, $names, $rows, $deals, $columns, $longest);
});

$checks->run('query with a ? parameter', function () use ($conn, $deals, $byId, $checks) {
    $statement = odbc_prepare($conn, 'SELECT Id, Title FROM Deals WHERE Id = ?');
    check_by_id($checks, function (int $id) use ($statement) {
        odbc_execute($statement, [$id]);
        return fetch_all($statement)[0];
    }, $deals, $byId);
    odbc_free_result($statement);
});

$checks->run('odbc_close', function () use ($conn) {
    odbc_close($conn);
});

$checks->finish('php odbc');
