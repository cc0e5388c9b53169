<?php
// The driver through unixODBC with PHP's odbc extension (odbc_*): run by tests/apps.rs as
//   php odbc_check.php DSN BASE_URL API_TOKEN
// Every value read through ODBC is compared with the raw value of the sandbox's REST API.

declare(strict_types=1);

require __DIR__ . '/api.php';

[, $dsn, $base, $token] = $argv + [null, null, null, null];
if (!$dsn || !$base || !$token) {
    fwrite(STDERR, "usage: php odbc_check.php DSN BASE_URL API_TOKEN\n");
    exit(2);
}

$checks = new Checks();
$api = new Api($base, $token);
$deals = $api->deals();
$columns = $api->dealColumns();
$byId = array_column($deals, null, 'id');
$longest = longest_title($deals);
printf("API: %d deals, %d columns, longest title %d characters (deal %d)\n",
    count($deals), count($columns), count(characters($longest['title'])), $longest['id']);

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
    $wanted = array_column($columns, 'name');
    if ($names !== $wanted) {
        $checks->fail('SELECT * FROM Deals', 'columns ' . json_encode($names, JSON_UNESCAPED_UNICODE)
            . ', expected ' . json_encode($wanted, JSON_UNESCAPED_UNICODE));
    }
    compare_rows($checks, 'SELECT * FROM Deals', $rows, $deals, $columns);
    $m = 'not read';
    foreach ($rows as $row) {
        if ((int)$row['Id'] === $longest['id']) {
            $m = mismatch('text', $row['Title'], $longest['title']);
        }
    }
    if ($m !== null) {
        $checks->fail('the longest title', "deal {$longest['id']}: $m");
    }
});

$checks->run('query with a ? parameter', function () use ($conn, $deals, $byId, $checks) {
    $statement = odbc_prepare($conn, 'SELECT Id, Title FROM Deals WHERE Id = ?');
    foreach (probe_ids($deals) as $id) {
        odbc_execute($statement, [$id]);
        [$rows] = fetch_all($statement);
        if (count($rows) !== 1) {
            $checks->fail('query with a ? parameter', "Id = $id: " . count($rows) . ' rows');
            continue;
        }
        $m = mismatch('int', $rows[0]['Id'], $id) ?? mismatch('text', $rows[0]['Title'], $byId[$id]['title']);
        if ($m !== null) {
            $checks->fail('query with a ? parameter', "Id = $id: $m");
        }
    }
    odbc_free_result($statement);
});

$checks->run('odbc_close', function () use ($conn) {
    odbc_close($conn);
});

$checks->finish('php odbc');
