<?php
// What the PHP check scripts share: the raw values of the sandbox's REST API, the columns
// SELECT * FROM Deals has, and the comparison of the values read through ODBC with the API's.

declare(strict_types=1);

final class Checks
{
    /** @var string[] */
    public array $failures = [];

    public function fail(string $check, string $message): void
    {
        $this->failures[] = "$check: $message";
        fwrite(STDERR, "FAILED $check: $message\n");
    }

    /** Runs one named check; an exception or error fails it without stopping the others. */
    public function run(string $name, callable $body): void
    {
        try {
            $body();
        } catch (Throwable $e) {
            $this->fail($name, get_class($e) . ': ' . $e->getMessage());
        }
    }

    /** Exits non-zero when a check failed, else prints the closing line. */
    public function finish(string $client): void
    {
        if ($this->failures) {
            fwrite(STDERR, count($this->failures) . " check(s) failed\n");
            exit(1);
        }
        echo "$client: all checks passed\n";
        exit(0);
    }
}

// PHP warnings (a failed odbc_* call warns, then answers false) become exceptions.
set_error_handler(function (int $no, string $message, string $file, int $line): bool {
    throw new ErrorException($message, 0, $no, $file, $line);
});

final class Api
{
    public function __construct(private string $base, private string $token)
    {
        $this->base = rtrim($base, '/');
    }

    public function get(string $path): array
    {
        $context = stream_context_create(['http' => [
            'header' => "x-api-token: {$this->token}\r\n",
            'ignore_errors' => false,
        ]]);
        $body = file_get_contents($this->base . $path, false, $context);
        return json_decode($body, true, 512, JSON_THROW_ON_ERROR);
    }

    /** Every deal, page by page. */
    public function deals(): array
    {
        $deals = [];
        $cursor = null;
        do {
            $page = $this->get('/api/v2/deals?limit=500' . ($cursor ? '&cursor=' . rawurlencode($cursor) : ''));
            array_push($deals, ...$page['data']);
            $cursor = $page['additional_data']['next_cursor'] ?? null;
        } while ($cursor);
        return $deals;
    }

    /**
     * Every column of SELECT * FROM Deals in order: ['name', 'kind', 'value' => fn(deal) => raw API value].
     */
    public function dealColumns(): array
    {
        $standard = [
            ['Id', 'id', 'int'], ['Title', 'title', 'text'], ['OwnerId', 'owner_id', 'int'],
            ['PersonId', 'person_id', 'int'], ['OrgId', 'org_id', 'int'],
            ['PipelineId', 'pipeline_id', 'int'], ['StageId', 'stage_id', 'int'],
            ['Value', 'value', 'double'], ['Currency', 'currency', 'text'],
            ['AddTime', 'add_time', 'timestamp'], ['UpdateTime', 'update_time', 'timestamp'],
            ['StageChangeTime', 'stage_change_time', 'timestamp'], ['IsDeleted', 'is_deleted', 'bool'],
            ['IsArchived', 'is_archived', 'bool'], ['Status', 'status', 'text'],
            ['Probability', 'probability', 'double'], ['LostReason', 'lost_reason', 'text'],
            ['VisibleTo', 'visible_to', 'int'], ['CloseTime', 'close_time', 'timestamp'],
            ['WonTime', 'won_time', 'timestamp'], ['LostTime', 'lost_time', 'timestamp'],
            ['ExpectedCloseDate', 'expected_close_date', 'date'], ['LabelIds', 'label_ids', 'text'],
            ['Origin', 'origin', 'text'], ['OriginId', 'origin_id', 'text'], ['Channel', 'channel', 'int'],
            ['ChannelId', 'channel_id', 'text'], ['SourceLeadId', 'source_lead_id', 'text'],
            ['Arr', 'arr', 'double'], ['Mrr', 'mrr', 'double'], ['Acv', 'acv', 'double'],
        ];
        $columns = [];
        foreach ($standard as [$name, $field, $kind]) {
            $columns[] = ['name' => $name, 'kind' => $kind, 'value' => fn(array $d) => $d[$field] ?? null];
        }
        $taken = function (string $n) use (&$columns): bool {
            foreach ($columns as $c) {
                if (strcasecmp($c['name'], $n) === 0) {
                    return true;
                }
            }
            return false;
        };
        foreach ($this->get('/api/v2/dealFields?limit=500')['data'] as $f) {
            if (($f['is_custom_field'] ?? null) !== true) {
                continue;
            }
            $labels = [];
            foreach ($f['options'] ?? [] as $o) {
                $labels[$o['id']] = $o['label'];
            }
            foreach (self::customParts($f['field_type']) as [$suffix, $kind, $read]) {
                $wanted = $suffix === '' ? $f['field_name'] : "{$f['field_name']} $suffix";
                $name = $wanted;
                for ($i = 2; $taken($name); $i++) {
                    $name = "$wanted $i";
                }
                $key = $f['field_code'];
                $columns[] = ['name' => $name, 'kind' => $kind,
                    'value' => fn(array $d) => self::customValue($d['custom_fields'][$key] ?? null, $read, $labels)];
            }
        }
        return $columns;
    }

    /** The columns a custom field becomes: [name suffix, kind, how its value is read]. */
    private static function customParts(string $type): array
    {
        return match ($type) {
            'double' => [['', 'double', 'plain']],
            'int' => [['', 'int', 'plain']],
            'monetary' => [['', 'double', 'amount'], ['Currency', 'text', 'currency']],
            'date' => [['', 'date', 'plain']],
            'daterange' => [['', 'date', 'start'], ['Until', 'date', 'until']],
            'time' => [['', 'time', 'plain']],
            'timerange' => [['', 'time', 'start'], ['Until', 'time', 'until']],
            'enum' => [['', 'text', 'label']],
            'set' => [['', 'text', 'labels']],
            'address' => [['', 'text', 'address']],
            'text' => [['', 'text', 'plain']],
            'org', 'people', 'user' => [['', 'int', 'plain']],
            'boolean' => [['', 'bool', 'plain']],
            'varchar', 'varchar_auto', 'phone', 'varchar_options' => [['', 'text', 'plain']],
            default => [['', 'json', 'plain']],
        };
    }

    private static function customValue(mixed $v, string $read, array $labels): mixed
    {
        if ($v === null) {
            return null;
        }
        $object = is_array($v) && !array_is_list($v);
        switch ($read) {
            case 'label':
                return is_int($v) && array_key_exists($v, $labels) ? $labels[$v] : null;
            case 'labels':
                if (!is_array($v) || !array_is_list($v)) {
                    return null;
                }
                $names = [];
                foreach ($v as $id) {
                    if (is_int($id) && array_key_exists($id, $labels)) {
                        $names[] = $labels[$id];
                    }
                }
                return implode(',', $names);
            case 'amount':
            case 'address':
                return $object && array_key_exists('value', $v) ? $v['value'] : $v;
            case 'currency':
                return $object ? ($v['currency'] ?? null) : null;
            case 'start':
                return $object ? ($v['start'] ?? null) : null;
            case 'until':
                return $object ? ($v['until'] ?? null) : null;
            default:
                return $v;
        }
    }
}

/** The API value as the text the driver shows for a text column. */
function api_text(mixed $v): string
{
    if (is_string($v)) {
        return $v;
    }
    if (is_array($v) && array_is_list($v)) {
        return implode(',', array_map(fn($i) => is_string($i) ? $i : json_encode($i), $v));
    }
    return json_encode($v, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES);
}

function norm_time(string $s): string
{
    return preg_replace('/\.0*$/', '', preg_replace('/Z$/', '', str_replace('T', ' ', $s)));
}

/** The characters of a UTF-8 text, or null when it is not valid UTF-8. */
function characters(string $s): ?array
{
    $chars = preg_split('//u', $s, -1, PREG_SPLIT_NO_EMPTY);
    return $chars === false ? null : $chars;
}

/** How two different texts differ: their lengths and the first differing character. */
function text_difference(string $want, string $got): string
{
    $w = characters($want);
    $g = characters($got);
    if ($g === null) {
        $i = 0;
        while ($i < strlen($want) && $i < strlen($got) && $want[$i] === $got[$i]) {
            $i++;
        }
        return sprintf('expected %d bytes, read %d bytes that are not valid UTF-8; from byte %d expected %s, read %s',
            strlen($want), strlen($got), $i + 1, bin2hex(substr($want, $i, 12)), bin2hex(substr($got, $i, 12)));
    }
    $i = 0;
    while ($i < count($w) && $i < count($g) && $w[$i] === $g[$i]) {
        $i++;
    }
    $part = fn(array $c) => json_encode(implode('', array_slice($c, $i, 20)), JSON_UNESCAPED_UNICODE) . (count($c) > $i + 20 ? '...' : '');
    return sprintf('expected %d characters, read %d; from character %d expected %s, read %s',
        count($w), count($g), $i + 1, $part($w), $part($g));
}

function shown(mixed $v): string
{
    return json_encode(is_string($v) ? $v : api_text($v), JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_SUBSTITUTE);
}

/** null when the value read ($got) is the API's ($want), else what differs. */
function mismatch(string $kind, mixed $got, mixed $want): ?string
{
    if ($want === null) {
        return $got === null ? null : 'expected NULL, read ' . shown($got);
    }
    if ($got === null) {
        return 'expected ' . shown($want) . ', read NULL';
    }
    $show = fn() => 'expected ' . shown($want) . ', read ' . shown($got);
    switch ($kind) {
        case 'int':
            $w = is_array($want) ? ($want['value'] ?? $want['id'] ?? null) : $want;
            return trim((string)$got) === (string)$w ? null : $show();
        case 'double':
            if (!is_numeric($got)) {
                return $show();
            }
            $g = (float)$got;
            $w = (float)$want;
            return abs($g - $w) <= 1e-9 * max(1.0, abs($w)) ? null : $show();
        case 'bool':
            $g = strtolower((string)$got);
            $truth = in_array($g, ['1', 'true'], true) ? true : (in_array($g, ['0', 'false'], true) ? false : null);
            return $truth === (bool)$want ? null : $show();
        case 'timestamp':
            return norm_time((string)$got) === norm_time((string)$want) ? null : $show();
        case 'date':
            return (string)$got === substr((string)$want, 0, 10) ? null : $show();
        case 'time':
            $w = strlen((string)$want) === 5 ? "$want:00" : (string)$want;
            return norm_time((string)$got) === $w ? null : $show();
        case 'json':
            return null; // shown as JSON text: only its NULL-ness is compared above
        default:
            if (!is_string($got)) {
                return 'expected a string, read ' . gettype($got) . ' ' . shown($got);
            }
            return $got === api_text($want) ? null : text_difference(api_text($want), $got);
    }
}

/** Compares rows read through ODBC (arrays keyed by column name) with the API's deals. */
function compare_rows(Checks $checks, string $check, array $rows, array $deals, array $columns): void
{
    $byId = [];
    foreach ($deals as $d) {
        $byId[$d['id']] = $d;
    }
    if (count($rows) !== count($deals)) {
        $checks->fail($check, count($rows) . ' rows read, the API has ' . count($deals) . ' deals');
    }
    $seen = [];
    $perColumn = [];
    foreach ($rows as $row) {
        $id = (int)$row['Id'];
        if (!isset($byId[$id])) {
            $checks->fail($check, "row with Id {$row['Id']} is not a deal of the API");
            continue;
        }
        $seen[$id] = true;
        foreach ($columns as $c) {
            if (!array_key_exists($c['name'], $row)) {
                continue;
            }
            $m = mismatch($c['kind'], $row[$c['name']], ($c['value'])($byId[$id]));
            if ($m !== null) {
                $perColumn[$c['name']][] = "Id $id: $m";
            }
        }
    }
    foreach ($deals as $d) {
        if (!isset($seen[$d['id']])) {
            $checks->fail($check, "deal {$d['id']} was not read");
            break;
        }
    }
    foreach ($perColumn as $name => $list) {
        $checks->fail($check, sprintf('column %s: %d values differ from the API, e.g. %s',
            json_encode($name, JSON_UNESCAPED_UNICODE), count($list), implode('; ', array_slice($list, 0, 3))));
    }
}

/** The deal with the longest title. */
function longest_title(array $deals): array
{
    $longest = $deals[0];
    foreach ($deals as $d) {
        if (count(characters($d['title'])) > count(characters($longest['title']))) {
            $longest = $d;
        }
    }
    return $longest;
}

/** The ids the parameter check asks for: a few fixed ones, the longest title's, the last. */
function probe_ids(array $deals): array
{
    $ids = array_column($deals, 'id');
    $want = [1, 2, 3, 7, longest_title($deals)['id'], end($ids)];
    return array_values(array_unique(array_filter($want, fn($id) => in_array($id, $ids, true))));
}

/**
 * The command line (DSN, base URL, token) and the API's side of the checks: [dsn, checks,
 * deals, columns, deals by id, the deal with the longest title].
 */
function setup(array $argv, string $script): array
{
    [, $dsn, $base, $token] = $argv + [null, null, null, null];
    if (!$dsn || !$base || !$token) {
        fwrite(STDERR, "usage: php $script DSN BASE_URL API_TOKEN\n");
        exit(2);
    }
    $api = new Api($base, $token);
    $deals = $api->deals();
    $columns = $api->dealColumns();
    $longest = longest_title($deals);
    printf("API: %d deals, %d columns, longest title %d characters (deal %d)\n",
        count($deals), count($columns), count(characters($longest['title'])), $longest['id']);
    return [$dsn, new Checks(), $deals, $columns, array_column($deals, null, 'id'), $longest];
}

/** `SELECT * FROM Deals` as read (column names, rows keyed by name) against the API. */
function check_select_star(Checks $checks, array $names, array $rows, array $deals, array $columns,
    array $longest): void
{
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
}

/** `SELECT Id, Title FROM Deals WHERE Id = ?` for the probe ids; `$rowsFor($id)` runs it. */
function check_by_id(Checks $checks, callable $rowsFor, array $deals, array $byId): void
{
    foreach (probe_ids($deals) as $id) {
        $rows = $rowsFor($id);
        if (count($rows) !== 1) {
            $checks->fail('query with a ? parameter', "Id = $id: " . count($rows) . ' rows');
            continue;
        }
        $m = mismatch('int', $rows[0]['Id'], $id) ?? mismatch('text', $rows[0]['Title'], $byId[$id]['title']);
        if ($m !== null) {
            $checks->fail('query with a ? parameter', "Id = $id: $m");
        }
    }
}
