<?php
// The driver through unixODBC with PHP's PDO_ODBC, with PDO's default cursor settings (no
// PDO::ODBC_ATTR_USE_CURSOR_LIBRARY): run by tests/apps.rs as
//   php pdo_check.php DSN BASE_URL API_TOKEN
// Every value read through ODBC is compared with the raw value of the sandbox's REST API.

declare(strict_types=1);

require __DIR__ . '/api.php';

[$dsn, $checks, $deals, $columns, $byId, $longest] = setup($argv, 'pdo_check.php');

$pdo = null;
$checks->run('connect', function () use (&$pdo, $dsn) {
    $pdo = new PDO("odbc:$dsn", null, null, [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION]);
});
if (!$pdo) {
    $checks->finish('php PDO_ODBC');
}

$checks->run('SELECT * FROM Deals', function () use ($pdo, $deals, $columns, $longest, $checks) {
    $statement = $pdo->query('SELECT * FROM Deals');
    $names = [];
    for ($i = 0; $i < $statement->columnCount(); $i++) {
        $names[] = $statement->getColumnMeta($i)['name'];
    }
    $rows = $statement->fetchAll(PDO::FETCH_ASSOC);
    $statement->closeCursor();
    check_select_star($checks, $names, $rows, $deals, $columns, $longest);
});

$checks->run('query with a ? parameter', function () use ($pdo, $deals, $byId, $checks) {
    $statement = $pdo->prepare('SELECT Id, Title FROM Deals WHERE Id = ?');
    check_by_id($checks, function (int $id) use ($statement) {
        $statement->execute([$id]);
        $rows = $statement->fetchAll(PDO::FETCH_ASSOC);
        $statement->closeCursor();
        return $rows;
    }, $deals, $byId);
});

$checks->run('close the connection', function () use (&$pdo) {
    $pdo = null;
});

$checks->finish('php PDO_ODBC');
