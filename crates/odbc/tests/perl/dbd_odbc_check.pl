#!/usr/bin/perl
# The driver through unixODBC with Perl's DBI and DBD::ODBC: run by tests/apps.rs as
#   perl dbd_odbc_check.pl DSN BASE_URL API_TOKEN
# Every value read through ODBC is compared with the raw value of the sandbox's REST API.
use strict;
use warnings;
use DBI;
use Encode qw(decode);
use HTTP::Tiny;
use JSON::PP;

binmode STDOUT, ':encoding(UTF-8)';
binmode STDERR, ':encoding(UTF-8)';

my ($dsn, $base, $token) = @ARGV;
die "usage: perl dbd_odbc_check.pl DSN BASE_URL API_TOKEN\n" unless $dsn && $base && $token;
$base =~ s{/$}{};

my @failures;
sub fail {
    my ($check, $message) = @_;
    push @failures, "$check: $message";
    print STDERR "FAILED $check: $message\n";
}

# Runs one named check; a die (DBI's RaiseError) fails it without stopping the others.
sub check {
    my ($name, $body) = @_;
    eval { $body->(); 1 } or do {
        my $e = $@ || 'unknown error';
        chomp $e;
        fail($name, $e);
    };
}

# ---- the raw API values -------------------------------------------------------------------

my $http = HTTP::Tiny->new(default_headers => { 'x-api-token' => $token });
my $json = JSON::PP->new->canonical;

sub api_get {
    my ($path) = @_;
    my $res = $http->get("$base$path");
    die "GET $path: HTTP $res->{status} $res->{reason}\n" unless $res->{success};
    return decode_json($res->{content});
}

sub api_deals {
    my @deals;
    my $cursor;
    do {
        my $path = '/api/v2/deals?limit=500';
        $path .= '&cursor=' . uri_escape($cursor) if defined $cursor;
        my $page = api_get($path);
        push @deals, @{ $page->{data} };
        $cursor = $page->{additional_data} && $page->{additional_data}{next_cursor};
    } while (defined $cursor && $cursor ne '');
    return @deals;
}

sub uri_escape {
    my ($s) = @_;
    $s =~ s/([^A-Za-z0-9\-_.~])/sprintf('%%%02X', ord $1)/ge;
    return $s;
}

# The standard columns of Deals: name, API field, kind.
my @STANDARD = (
    [qw(Id id int)], [qw(Title title text)], [qw(OwnerId owner_id int)],
    [qw(PersonId person_id int)], [qw(OrgId org_id int)],
    [qw(PipelineId pipeline_id int)], [qw(StageId stage_id int)],
    [qw(Value value double)], [qw(Currency currency text)],
    [qw(AddTime add_time timestamp)], [qw(UpdateTime update_time timestamp)],
    [qw(StageChangeTime stage_change_time timestamp)], [qw(IsDeleted is_deleted bool)],
    [qw(IsArchived is_archived bool)], [qw(Status status text)],
    [qw(Probability probability double)], [qw(LostReason lost_reason text)],
    [qw(VisibleTo visible_to int)], [qw(CloseTime close_time timestamp)],
    [qw(WonTime won_time timestamp)], [qw(LostTime lost_time timestamp)],
    [qw(ExpectedCloseDate expected_close_date date)], [qw(LabelIds label_ids text)],
    [qw(Origin origin text)], [qw(OriginId origin_id text)], [qw(Channel channel int)],
    [qw(ChannelId channel_id text)], [qw(SourceLeadId source_lead_id text)],
    [qw(Arr arr double)], [qw(Mrr mrr double)], [qw(Acv acv double)],
);

# The columns a custom field becomes: [name suffix, kind, how its value is read].
sub custom_parts {
    my ($type) = @_;
    my %parts = (
        double => [['', 'double', 'plain']],
        int => [['', 'int', 'plain']],
        monetary => [['', 'double', 'amount'], ['Currency', 'text', 'currency']],
        date => [['', 'date', 'plain']],
        daterange => [['', 'date', 'start'], ['Until', 'date', 'until']],
        time => [['', 'time', 'plain']],
        timerange => [['', 'time', 'start'], ['Until', 'time', 'until']],
        enum => [['', 'text', 'label']],
        set => [['', 'text', 'labels']],
        address => [['', 'text', 'address']],
        text => [['', 'text', 'plain']],
        (map { $_ => [['', 'int', 'plain']] } qw(org people user)),
        boolean => [['', 'bool', 'plain']],
        (map { $_ => [['', 'text', 'plain']] } qw(varchar varchar_auto phone varchar_options)),
    );
    return @{ $parts{$type} // [['', 'json', 'plain']] };
}

# Every column of SELECT * FROM Deals: {name, kind, value => sub(deal) -> raw API value or undef}.
sub deal_columns {
    my @columns = map {
        my ($name, $field, $kind) = @$_;
        { name => $name, kind => $kind, value => sub { $_[0]{$field} } }
    } @STANDARD;
    my $taken = sub {
        my ($n) = @_;
        return grep { lc $_->{name} eq lc $n } @columns;
    };
    for my $f (@{ api_get('/api/v2/dealFields?limit=500')->{data} }) {
        next unless ref $f->{is_custom_field} && $f->{is_custom_field};
        my %labels = map { $_->{id} => $_->{label} } @{ $f->{options} || [] };
        my $key = $f->{field_code};
        for my $part (custom_parts($f->{field_type})) {
            my ($suffix, $kind, $read) = @$part;
            my $wanted = $suffix eq '' ? $f->{field_name} : "$f->{field_name} $suffix";
            my $name = $wanted;
            for (my $i = 2; $taken->($name); $i++) { $name = "$wanted $i" }
            push @columns, { name => $name, kind => $kind,
                value => sub { custom_value(($_[0]{custom_fields} || {})->{$key}, $read, \%labels) } };
        }
    }
    return @columns;
}

sub custom_value {
    my ($v, $read, $labels) = @_;
    return undef unless defined $v;
    my $object = ref $v eq 'HASH';
    my $integer = !ref $v && $v =~ /^-?\d+$/;
    if ($read eq 'label') { return $integer && exists $labels->{$v} ? $labels->{$v} : undef }
    if ($read eq 'labels') {
        return undef unless ref $v eq 'ARRAY';
        return join ',', map { $labels->{$_} } grep { !ref $_ && exists $labels->{$_} } @$v;
    }
    if ($read eq 'amount' || $read eq 'address') { return $object && exists $v->{value} ? $v->{value} : $v }
    if ($read eq 'currency') { return $object ? $v->{currency} : undef }
    if ($read eq 'start') { return $object ? $v->{start} : undef }
    if ($read eq 'until') { return $object ? $v->{until} : undef }
    return $v;
}

# ---- comparing a value read through ODBC with the API's --------------------------------------

# The API value as the text the driver shows for a text column.
sub api_text {
    my ($v) = @_;
    return join ',', map { ref $_ ? $json->encode($_) : "$_" } @$v if ref $v eq 'ARRAY';
    return ref $v ? $json->encode($v) : "$v";
}

sub norm_time {
    my ($s) = @_;
    $s =~ s/T/ /;
    $s =~ s/Z$//;
    $s =~ s/\.0*$//;
    return $s;
}

sub shown {
    my ($s) = @_;
    $s = substr($s, 0, 120) . '...' if length $s > 120;
    return JSON::PP->new->allow_nonref->encode($s);
}

# How two different texts differ: their lengths and the first differing character.
sub text_difference {
    my ($want, $got) = @_;
    my $i = 0;
    $i++ while $i < length $want && $i < length $got && substr($want, $i, 1) eq substr($got, $i, 1);
    my $part = sub { shown(substr($_[0], $i, 20)) . (length $_[0] > $i + 20 ? '...' : '') };
    return sprintf('expected %d characters, read %d; from character %d expected %s, read %s',
        length $want, length $got, $i + 1, $part->($want), $part->($got));
}

# The text read as characters: DBD::ODBC built for Unicode answers character strings; bytes
# are decoded from UTF-8 (invalid UTF-8 is a failure of its own).
sub as_characters {
    my ($got) = @_;
    return $got if utf8::is_utf8($got);
    my $copy = $got;
    my $text = eval { decode('UTF-8', $copy, Encode::FB_CROAK) };
    return defined $text ? $text : undef;
}

# undef when the value read ($got) is the API's ($want), else what differs.
sub mismatch {
    my ($kind, $got, $want) = @_;
    if (!defined $want) {
        return defined $got ? 'expected NULL, read ' . shown($got) : undef;
    }
    return 'expected ' . shown(api_text($want)) . ', read NULL' unless defined $got;
    my $show = sub { 'expected ' . shown(api_text($want)) . ', read ' . shown($got) };
    if ($kind eq 'int') {
        my $w = ref $want eq 'HASH' ? ($want->{value} // $want->{id}) : $want;
        (my $g = $got) =~ s/^\s+|\s+$//g;
        return $g eq "$w" ? undef : $show->();
    }
    if ($kind eq 'double') {
        return $show->() unless $got =~ /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;
        my $w = 0 + $want;
        return abs($got - $w) <= 1e-9 * (abs($w) > 1 ? abs($w) : 1) ? undef : $show->();
    }
    if ($kind eq 'bool') {
        my $g = lc $got;
        my $truth = ($g eq '1' || $g eq 'true') ? 1 : ($g eq '0' || $g eq 'false') ? 0 : -1;
        return $truth == ($want ? 1 : 0) ? undef : $show->();
    }
    if ($kind eq 'timestamp') { return norm_time($got) eq norm_time($want) ? undef : $show->() }
    if ($kind eq 'date') { return $got eq substr($want, 0, 10) ? undef : $show->() }
    if ($kind eq 'time') {
        my $w = length $want == 5 ? "$want:00" : $want;
        return norm_time($got) eq $w ? undef : $show->();
    }
    return undef if $kind eq 'json';    # shown as JSON text: only its NULL-ness is compared above
    my $text = as_characters($got);
    return sprintf('read %d bytes that are not valid UTF-8', length $got) unless defined $text;
    my $w = api_text($want);
    return $text eq $w ? undef : text_difference($w, $text);
}

# Compares rows read through ODBC (hashes keyed by column name) with the API's deals.
sub compare_rows {
    my ($check, $rows, $deals, $columns, $partial) = @_;
    my %by_id = map { $_->{id} => $_ } @$deals;
    fail($check, scalar(@$rows) . ' rows read, the API has ' . scalar(@$deals) . ' deals')
        if @$rows != @$deals && !$partial;
    my (%seen, %per_column, @order);
    for my $row (@$rows) {
        my $id = $row->{Id};
        my $deal = defined $id ? $by_id{$id + 0} : undef;
        if (!$deal) {
            fail($check, 'row with Id ' . ($id // 'NULL') . ' is not a deal of the API');
            next;
        }
        $seen{$deal->{id}} = 1;
        for my $c (@$columns) {
            next unless exists $row->{ $c->{name} };
            my $m = mismatch($c->{kind}, $row->{ $c->{name} }, $c->{value}->($deal));
            next unless defined $m;
            push @order, $c->{name} unless $per_column{ $c->{name} };
            push @{ $per_column{ $c->{name} } }, "Id $deal->{id}: $m";
        }
    }
    for my $d (@$deals) {
        last if $partial;
        next if $seen{ $d->{id} };
        fail($check, "deal $d->{id} was not read");
        last;
    }
    for my $name (@order) {
        my $list = $per_column{$name};
        my $n = @$list > 3 ? 3 : scalar @$list;
        fail($check, sprintf('column "%s": %d values differ from the API, e.g. %s',
            $name, scalar @$list, join('; ', @$list[0 .. $n - 1])));
    }
}

# ---- the checks ------------------------------------------------------------------------------

my @deals = api_deals();
my @columns = deal_columns();
my %by_id = map { $_->{id} => $_ } @deals;
my ($longest) = sort { length $b->{title} <=> length $a->{title} || $a->{id} <=> $b->{id} } @deals;
printf "API: %d deals, %d columns, longest title %d characters (deal %d)\n",
    scalar @deals, scalar @columns, length $longest->{title}, $longest->{id};

my $dbh;
check('connect', sub {
    # LongReadLen: DBI reads at most 80 characters of a long column (SQL_WLONGVARCHAR) by
    # default and fails beyond; a user reading long text raises it, as done here. LongTruncOk
    # stays off so that a truncated value is an error, not a silently shortened value.
    $dbh = DBI->connect("dbi:ODBC:DSN=$dsn", undef, undef,
        { RaiseError => 1, PrintError => 0, AutoCommit => 1, LongReadLen => 1_000_000, LongTruncOk => 0 });
});
if (!$dbh) {
    print STDERR scalar(@failures), " check(s) failed\n";
    exit 1;
}

check('SELECT * FROM Deals', sub {
    my $sth = $dbh->prepare('SELECT * FROM Deals');
    $sth->execute;
    my @names = @{ $sth->{NAME} };
    my @wanted = map { $_->{name} } @columns;
    if (join('|', @names) ne join('|', @wanted)) {
        fail('SELECT * FROM Deals', 'columns ' . $json->encode(\@names) . ', expected ' . $json->encode(\@wanted));
    }
    my @rows;
    my $complete = eval {
        while (my $row = $sth->fetchrow_hashref) {
            push @rows, {%$row};
        }
        1;
    };
    if (!$complete) {
        my $e = $@;
        chomp $e;
        fail('SELECT * FROM Deals', sprintf('fetching stopped after %d of %d rows: %s', scalar @rows, scalar @deals, $e));
    }
    # the rows read before a failed fetch are compared all the same
    compare_rows('SELECT * FROM Deals', \@rows, \@deals, \@columns, !$complete);
    my ($row) = grep { defined $_->{Id} && $_->{Id} == $longest->{id} } @rows;
    my $m = $row ? mismatch('text', $row->{Title}, $longest->{title}) : $complete ? 'not read' : 'not read before fetching stopped';
    fail('the longest title', "deal $longest->{id}: $m") if defined $m;
});

check('query with a ? parameter', sub {
    my $sth = $dbh->prepare('SELECT Id, Title FROM Deals WHERE Id = ?');
    my %ids = map { $_ => 1 } grep { $by_id{$_} } (1, 2, 3, 7, $longest->{id}, $deals[-1]{id});
    for my $id (sort { $a <=> $b } keys %ids) {
        my $rows = eval { $sth->execute($id); $sth->fetchall_arrayref({}) };
        if (!$rows) {
            my $e = $@;
            chomp $e;
            fail('query with a ? parameter', "Id = $id: $e");
            next;
        }
        if (@$rows != 1) {
            fail('query with a ? parameter', "Id = $id: " . scalar(@$rows) . ' rows');
            next;
        }
        my $m = mismatch('int', $rows->[0]{Id}, $id) // mismatch('text', $rows->[0]{Title}, $by_id{$id}{title});
        fail('query with a ? parameter', "Id = $id: $m") if defined $m;
    }
});

check('disconnect', sub {
    $dbh->disconnect or die $DBI::errstr;
});

if (@failures) {
    print STDERR scalar(@failures), " check(s) failed\n";
    exit 1;
}
print "perl DBD::ODBC: all checks passed\n";
