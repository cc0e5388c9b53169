<?php
// The driver through unixODBC with PHP's PDO_ODBC, with PDO's default cursor settings (no
// PDO::ODBC_ATTR_USE_CURSOR_LIBRARY): run by tests/apps.rs as
//   php pdo_check.php DSN BASE_URL API_TOKEN
// Every value read through ODBC is compared with the raw value of the sandbox's REST API.

declare(strict_types=1);

require __DIR__ . '/api.php';

[, $dsn, $base, $token] = $argv + [null, null, null, null];
if (!$dsn || !$base || !$token) {
    fwrite(STDERR, "usage: php pdo_check.php DSN BASE_URL API_TOKEN\n");
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

$checks->run('query with a ? parameter', function () use ($pdo, $deals, $byId, $checks) {
    $statement = $pdo->prepare('SELECT Id, Title FROM Deals WHERE Id = ?');
    foreach (probe_ids($deals) as $id) {
        $statement->execute([$id]);
        $rows = $statement->fetchAll(PDO::FETCH_ASSOC);
        $statement->closeCursor();
        if (count($rows) !== 1) {
            $checks->fail('query with a ? parameter', "Id = $id: " . count($rows) . ' rows');
            continue;
        }
        $m = mismatch('int', $rows[0]['Id'], $id) ?? mismatch('text', $rows[0]['Title'], $byId[$id]['title']);
        if ($m !== null) {
            $checks->fail('query with a ? parameter', "Id = $id: $m");
        }
    }
});

$checks->run('close the connection', function () use (&$pdo) {
    $pdo = null;
});

$checks->finish('php PDO_ODBC');
