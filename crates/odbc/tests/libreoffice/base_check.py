"""The driver under LibreOffice Base: soffice runs headless with a private user profile, and
Python-UNO drives its database layer over the ODBC data source (sdbc:odbc:<DSN>) the way Base
does. Rows read forward and after scrolling (first, absolute, relative, previous, last) are
compared with the deals read from the sandbox's REST API directly.

    base_check.py DSN BASE_URL TOKEN [--soffice PATH] [--timeout SECONDS]

Run by tests/libreoffice.rs. The ODBC environment (ODBCSYSINI, ODBCINI) is passed on to soffice.
Prints "all checks passed" at the end only when every check passed; otherwise one line per failed
check and exit status 1. soffice is shut down in every case; a watchdog kills it (and this
script, with exit status 3) when the whole run takes longer than the timeout.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse
import urllib.request


def import_uno():
    """The uno module of python3-uno (Debian's system Python) or of a LibreOffice install;
    under another interpreter (a pyenv shim, say) the script runs itself again under the
    system Python."""
    try:
        import uno  # noqa: F401
        return
    except ImportError:
        pass
    for program_dir in ("/usr/lib/libreoffice/program", "/opt/libreoffice/program"):
        if os.path.isfile(os.path.join(program_dir, "uno.py")) and program_dir not in sys.path:
            sys.path.append(program_dir)
            try:
                import uno  # noqa: F401
                return
            except ImportError:
                sys.path.remove(program_dir)
    system = "/usr/bin/python3"
    if os.path.realpath(sys.executable) != os.path.realpath(system) and os.path.exists(system):
        os.execv(system, [system] + sys.argv)
    sys.exit("the Python-UNO bridge is missing (import uno failed): install python3-uno")


import_uno()
import uno  # noqa: E402
from com.sun.star.connection import NoConnectException  # noqa: E402

# com.sun.star.sdbc.ResultSetType, ResultSetConcurrency and com.sun.star.sdb.CommandType
FORWARD_ONLY, SCROLL_INSENSITIVE = 1003, 1004
READ_ONLY, UPDATABLE = 1007, 1008
COMMAND_TABLE, COMMAND_COMMAND = 0, 2

QUERY = 'SELECT "Id", "Title" FROM "Deals" ORDER BY "Id"'


# --- the raw values, read from the REST API ---------------------------------------------------

def api_deals(base_url, token):
    """Every deal as (id, title), in id order, paging with the cursor of API v2. The token goes
    in the x-api-token header (the sandbox also takes the api_token query parameter)."""
    deals, cursor = [], None
    while True:
        query = {"limit": "500", "sort_by": "id", "sort_direction": "asc"}
        if cursor:
            query["cursor"] = cursor
        url = f"{base_url.rstrip('/')}/api/v2/deals?{urllib.parse.urlencode(query)}"
        request = urllib.request.Request(url, headers={"x-api-token": token, "Accept": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            body = json.load(response)
        if not body.get("success"):
            raise RuntimeError(f"GET {url}: {body}")
        deals += [(int(d["id"]), d["title"]) for d in body["data"]]
        cursor = (body.get("additional_data") or {}).get("next_cursor")
        if not cursor:
            return deals


# --- soffice ------------------------------------------------------------------------------------

class Office:
    """soffice headless with a private profile, accepting UNO connections on a named pipe."""

    def __init__(self, soffice):
        self.profile = tempfile.mkdtemp(prefix="pipedrive-odbc-lo-profile-")
        self.pipe = f"pipedrive_odbc_{os.getpid()}"
        self.process = subprocess.Popen(
            [
                soffice,
                "--headless",
                "--invisible",
                "--norestore",
                "--nologo",
                "--nodefault",
                "--nolockcheck",
                "--nofirststartwizard",
                f"-env:UserInstallation={uno.systemPathToFileUrl(self.profile)}",
                f"--accept=pipe,name={self.pipe};urp;StarOffice.ComponentContext",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            # its own process group: soffice is a script that starts soffice.bin
            start_new_session=True,
        )
        self.context = None

    def connect(self, timeout):
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        url = f"uno:pipe,name={self.pipe};urp;StarOffice.ComponentContext"
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.context = resolver.resolve(url)
                return self.context
            except NoConnectException:
                if self.process.poll() is not None:
                    raise RuntimeError(f"soffice exited with status {self.process.returncode} before accepting connections")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"soffice did not accept a UNO connection within {timeout} s")
                time.sleep(0.5)

    def create(self, service):
        return self.context.ServiceManager.createInstanceWithContext(service, self.context)

    def kill(self):
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def shutdown(self, timeout=20):
        """Desktop.terminate(), in a thread of its own (a hung soffice does not answer), then
        the process group is killed if soffice has not exited within the timeout."""
        if self.context is not None and self.process.poll() is None:
            def terminate():
                try:
                    self.create("com.sun.star.frame.Desktop").terminate()
                except Exception:
                    pass  # the bridge goes away while soffice exits
            threading.Thread(target=terminate, daemon=True).start()
        try:
            self.process.wait(timeout=timeout if self.context is not None else 0.1)
        except subprocess.TimeoutExpired:
            pass
        self.kill()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        shutil.rmtree(self.profile, ignore_errors=True)


# --- checks -------------------------------------------------------------------------------------

class Checks:
    def __init__(self):
        self.failures = []

    def run(self, name, check, *args):
        print(f"check: {name}", flush=True)
        started = time.monotonic()
        try:
            check(*args)
        except CheckFailed as e:
            self.fail(name, str(e))
        except Exception as e:  # a UNO exception (SQLException and the like) or a bug
            message = getattr(e, "Message", None)
            if message is None:  # not from UNO: the whole traceback
                message = traceback.format_exc()
            else:  # where in this script, and the UNO exception's type and message
                frames = [f for f in traceback.extract_tb(e.__traceback__) if f.filename == __file__]
                where = f" (line {frames[-1].lineno}: {frames[-1].line})" if frames else ""
                message = f"{type(e).__name__}{where}: {message.strip()}"
            self.fail(name, message)
        print(f"  {time.monotonic() - started:.1f} s", flush=True)

    def fail(self, name, message):
        self.failures.append(name)
        print(f"FAILED: {name}: {message}", flush=True)


class CheckFailed(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise CheckFailed(message)


def props(**values):
    out = []
    for name, value in values.items():
        p = uno.createUnoStruct("com.sun.star.beans.PropertyValue")
        p.Name, p.Value = name, value
        out.append(p)
    return tuple(out)


class Reader:
    """Reads (Id, Title) at the current row of an SDBC result set and checks it against the
    API's deals; `expected_at` gives the deal expected at a 1-based row number, or None when
    only the pair itself is checked (a row set without ORDER BY)."""

    def __init__(self, rs, api, expected_at=None):
        self.rs = rs
        self.api = dict(api)
        self.expected_at = expected_at
        # by the names of the result set's metadata (findColumn asks the driver whether the
        # names are case-sensitive, which is not what is tested here)
        meta = rs.getMetaData()
        names = [meta.getColumnName(i) for i in range(1, meta.getColumnCount() + 1)]
        expect("Id" in names and "Title" in names, f"the result set's columns are {names!r}")
        self.id_col = names.index("Id") + 1
        self.title_col = names.index("Title") + 1

    def row(self):
        deal_id = self.rs.getLong(self.id_col)
        expect(not self.rs.wasNull(), f"Id is NULL at row {self.rs.getRow()}")
        return deal_id, self.rs.getString(self.title_col)

    def check(self, move, moved, row_number):
        """After `move` (a description) answered `moved`: the cursor is on row `row_number`
        and its values are the API's."""
        expect(moved is True, f"{move} answered {moved!r}, expected True")
        at = self.rs.getRow()
        expect(at == row_number, f"after {move} getRow() is {at}, expected {row_number}")
        deal_id, title = self.row()
        if self.expected_at is not None:
            want = self.expected_at(row_number)
            expect((deal_id, title) == want,
                   f"after {move} row {row_number} is {(deal_id, title)!r}, the API has {want!r}")
        else:
            expect(deal_id in self.api, f"after {move} row {row_number} has Id {deal_id}, which the API does not have")
            expect(title == self.api[deal_id],
                   f"after {move} row {row_number} (Id {deal_id}) has Title {title!r}, the API has {self.api[deal_id]!r}")
        return deal_id, title


def scroll(rs, reader, count, forward=None, negative_absolute=True):
    """The moves of a scrollable result set of `count` rows, each checked; `forward` (the
    (id, title) pairs read by next(), when known) must agree with every scrolled position.
    A RowSet answers False to absolute(n) for every n < 0 (LibreOffice's ORowSetBase, whatever
    the driver), so its checks leave that move out."""

    def same_as_forward(row_number, pair, move):
        if forward is not None:
            want = forward[row_number - 1]
            expect(pair == want, f"after {move} row {row_number} is {pair!r}; reading forward it was {want!r}")

    middle = max(1, count // 2)
    steps = [
        ("first()", lambda: rs.first(), 1),
        ("next()", lambda: rs.next(), min(2, count)),
        (f"absolute({middle})", lambda: rs.absolute(middle), middle),
        ("previous()", lambda: rs.previous(), middle - 1) if middle > 1 else None,
        ("relative(-1)", lambda: rs.relative(-1), middle - 2) if middle > 2 else None,
        ("last()", lambda: rs.last(), count),
        ("previous()", lambda: rs.previous(), count - 1) if count > 1 else None,
        ("absolute(-2)", lambda: rs.absolute(-2), count - 1) if count > 1 and negative_absolute else None,
        ("absolute(3)", lambda: rs.absolute(3), 3) if count >= 3 else None,
        ("relative(2)", lambda: rs.relative(2), 5) if count >= 5 else None,
        ("first()", lambda: rs.first(), 1),
    ]
    for step in steps:
        if step is None or (step[0] == "next()" and count < 2):
            continue
        move, action, row_number = step
        pair = reader.check(move, action(), row_number)
        same_as_forward(row_number, pair, move)
    expect(rs.isFirst(), "isFirst() is false after first()")
    expect(rs.previous() is False, "previous() on the first row answered True")
    expect(rs.isBeforeFirst(), "isBeforeFirst() is false after previous() from the first row")
    pair = reader.check("next() from before the first row", rs.next(), 1)
    same_as_forward(1, pair, "next() from before the first row")
    rs.afterLast()
    expect(rs.isAfterLast(), "isAfterLast() is false after afterLast()")
    pair = reader.check("previous() from after the last row", rs.previous(), count)
    same_as_forward(count, pair, "previous() from after the last row")
    # (isLast() is not asked: LibreOffice's ODBC result set answers it from its own flag, set
    # by afterLast() and cleared by every move, whatever the driver says)


def connect(office, dsn):
    """A connection the way Base makes one: a data source of the DatabaseContext whose URL is
    sdbc:odbc:<DSN>, with UTF-8 as the character set of the ODBC bridge's narrow calls."""
    context = office.create("com.sun.star.sdb.DatabaseContext")
    source = context.createInstance()
    source.URL = f"sdbc:odbc:{dsn}"
    source.Info = props(CharSet="UTF-8")
    return source.getConnection("", "")


def check_forward(conn, api):
    stmt = conn.createStatement()
    rs = stmt.executeQuery(QUERY)
    reader = Reader(rs, api, expected_at=lambda n: api[n - 1])
    rows = []
    while rs.next():
        rows.append(reader.row())
    expect(len(rows) == len(api), f"{QUERY} gave {len(rows)} rows, the API has {len(api)} deals")
    for n, (got, want) in enumerate(zip(rows, api), start=1):
        expect(got == want, f"row {n} is {got!r}, the API has {want!r}")
    stmt.close()


def check_scroll_statement(conn, api):
    """A scroll-insensitive statement of the query: forward through a few rows, then back."""
    stmt = conn.createStatement()
    stmt.ResultSetType = SCROLL_INSENSITIVE
    stmt.ResultSetConcurrency = READ_ONLY
    rs = stmt.executeQuery(QUERY)
    reader = Reader(rs, api, expected_at=lambda n: api[n - 1])
    for n in range(1, min(5, len(api)) + 1):
        reader.check("next()", rs.next(), n)
    scroll(rs, reader, len(api))
    stmt.close()


def check_scroll_prepared(conn, api):
    """The same through a prepared statement with a parameter, as Base's queries with
    parameters run: the deals with Id <= ? in Id order."""
    limit = min(40, len(api))
    stmt = conn.prepareStatement('SELECT "Id", "Title" FROM "Deals" WHERE "Id" <= ? ORDER BY "Id"')
    stmt.ResultSetType = SCROLL_INSENSITIVE
    stmt.ResultSetConcurrency = READ_ONLY
    stmt.setLong(1, api[limit - 1][0])
    rs = stmt.executeQuery()
    reader = Reader(rs, api, expected_at=lambda n: api[n - 1])
    reader.check("next()", rs.next(), 1)
    scroll(rs, reader, limit)
    stmt.close()


def check_row_set(office, conn, api):
    """The table opened as Base's table view opens it: a com.sun.star.sdb.RowSet over the
    table Deals (CommandType TABLE), scroll insensitive, with Base's default concurrency."""
    # the name Base lists the table under: qualified with the driver's catalog and schema
    names = [n for n in conn.getTables().getElementNames() if n == "Deals" or n.endswith(".Deals")]
    expect(len(names) == 1, f"the connection's tables have no single Deals: {names!r}")
    row_set = office.create("com.sun.star.sdb.RowSet")
    row_set.ActiveConnection = conn
    row_set.CommandType = COMMAND_TABLE
    row_set.Command = names[0]
    row_set.EscapeProcessing = True
    row_set.ResultSetType = SCROLL_INSENSITIVE
    row_set.execute()
    reader = Reader(row_set, api)
    forward = []
    while row_set.next():
        forward.append(reader.check("next()", True, len(forward) + 1))
    expect(row_set.RowCount == len(api), f"RowCount is {row_set.RowCount}, the API has {len(api)} deals")
    expect(row_set.IsRowCountFinal, "IsRowCountFinal is false after reading every row")
    expect(sorted(i for i, _ in forward) == [i for i, _ in api],
           "the row set's Ids are not the API's deal ids")
    scroll(row_set, reader, len(api), forward, negative_absolute=False)
    row_set.dispose()


def check_row_set_query(office, conn, api):
    """A RowSet of the SQL command (Base's query view): only scrolled, never read through
    first, so the moves back come before the row set has seen the rows."""
    row_set = office.create("com.sun.star.sdb.RowSet")
    row_set.ActiveConnection = conn
    row_set.CommandType = COMMAND_COMMAND
    row_set.Command = QUERY
    row_set.ResultSetType = SCROLL_INSENSITIVE
    row_set.ResultSetConcurrency = READ_ONLY
    row_set.execute()
    reader = Reader(row_set, api, expected_at=lambda n: api[n - 1])
    reader.check("last()", row_set.last(), len(api))
    scroll(row_set, reader, len(api), negative_absolute=False)
    row_set.dispose()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dsn")
    parser.add_argument("base_url")
    parser.add_argument("token")
    parser.add_argument("--soffice", default=shutil.which("soffice") or "/usr/lib/libreoffice/program/soffice")
    parser.add_argument("--timeout", type=float, default=600, help="seconds for the whole run")
    args = parser.parse_args()

    api = api_deals(args.base_url, args.token)
    if len(api) < 5:
        sys.exit(f"the sandbox has {len(api)} deals; the checks need at least 5")
    print(f"the API has {len(api)} deals", flush=True)

    office = Office(args.soffice)

    def watchdog():
        print(f"FAILED: the run took longer than {args.timeout:.0f} s: soffice killed", flush=True)
        office.kill()
        shutil.rmtree(office.profile, ignore_errors=True)
        os._exit(3)

    timer = threading.Timer(args.timeout, watchdog)
    timer.daemon = True
    timer.start()
    checks = Checks()
    try:
        office.connect(timeout=min(120, args.timeout))
        conn = None
        try:
            conn = connect(office, args.dsn)
        except Exception as e:
            checks.fail("connect to sdbc:odbc:" + args.dsn, f"{type(e).__name__}: {getattr(e, 'Message', None) or e}")
        if conn is not None:
            checks.run("forward-only query read to the end", check_forward, conn, api)
            checks.run("scroll-insensitive statement scrolled back", check_scroll_statement, conn, api)
            checks.run("scroll-insensitive prepared statement scrolled back", check_scroll_prepared, conn, api)
            checks.run("RowSet of the table Deals (Base's table view) scrolled back", check_row_set, office, conn, api)
            checks.run("RowSet of the query scrolled from the last row", check_row_set_query, office, conn, api)
            try:
                conn.close()
            except Exception:
                pass
    finally:
        office.shutdown()
        timer.cancel()
    if checks.failures:
        print(f"{len(checks.failures)} check(s) failed: " + "; ".join(checks.failures), flush=True)
        sys.exit(1)
    print("all checks passed", flush=True)


if __name__ == "__main__":
    main()
