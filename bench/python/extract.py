"""One extract of all deals from a Pipedrive API at BASE, by one of the compared tools, in this
process. Prints one JSON line: rows, seconds (from just before the tool starts to its last row),
peak_rss_mib (this process); for the driver also first_row_s (from just before connecting to the
first row in hand), statement_first_row_s (from just before execute to the first row), and
after_first_row_s and reader_cpu_s (the wall time from the first row to the last, and the CPU
the application's own thread spent in it: pyodbc, Python and the driver's fetch calls).

    python extract.py plain   BASE TOKEN      # requests, GET /api/v2/deals?limit=500, sequential
    python extract.py pyodbc  BASE TOKEN      # our driver: SELECT * FROM Deals, fetchall
    python extract.py count   BASE TOKEN      # our driver: SELECT COUNT(*) FROM Deals
    python extract.py tap     BASE TOKEN      # tap-pipedrive (Singer), deals stream
    python extract.py airbyte BASE TOKEN      # airbyte-source-pipedrive, deals stream

The published tools have https://api.pipedrive.com written into them; they are used as
installed, and their requests are sent to BASE by a transport adapter mounted on `requests`.
"""

import io
import json
import os
import resource
import sys
import tempfile
import time
import contextlib

TOOL, BASE, TOKEN = sys.argv[1], sys.argv[2].rstrip("/"), sys.argv[3]
# figures a tool adds to its line
FIGURES = {}
HARD_CODED = "https://api.pipedrive.com"


def redirect_requests_to_base():
    """Every request `requests` sends to the hard-coded API host goes to BASE instead (the
    v1 paths some tools use without the /api prefix get it)."""
    import requests.adapters

    send = requests.adapters.HTTPAdapter.send

    def send_to_base(self, request, *args, **kwargs):
        if request.url.startswith(HARD_CODED):
            path = request.url[len(HARD_CODED):]
            if path.startswith("/v1/") or path.startswith("/v2/"):
                path = "/api" + path
            request.url = BASE + path
        return send(self, request, *args, **kwargs)

    requests.adapters.HTTPAdapter.send = send_to_base


class RecordCounter(io.TextIOBase):
    """A stdout that counts the RECORD messages a tool writes, one JSON message a line."""

    def __init__(self):
        self.records = 0
        self.partial = ""

    def write(self, text):
        lines = (self.partial + text).split("\n")
        self.partial = lines.pop()
        for line in lines:
            if '"type": "RECORD"' in line or '"type":"RECORD"' in line:
                self.records += 1
        return len(text)


def plain():
    import requests

    session = requests.Session()
    rows, cursor = 0, None
    while True:
        params = {"limit": 500}
        if cursor:
            params["cursor"] = cursor
        page = session.get(f"{BASE}/api/v2/deals", params=params, headers={"x-api-token": TOKEN}).json()
        rows += len(page["data"] or [])
        cursor = (page.get("additional_data") or {}).get("next_cursor")
        if not cursor:
            return rows


def driver(sql):
    import pyodbc

    connecting = time.perf_counter()
    conn = pyodbc.connect(f"Driver={{Pipedrive ODBC Bench}};BaseURL={BASE};APIToken={TOKEN}", autocommit=True)
    cursor = conn.cursor()
    executing = time.perf_counter()
    cursor.execute(sql)
    first = cursor.fetchone()
    FIGURES["first_row_s"] = round(time.perf_counter() - connecting, 3)
    FIGURES["statement_first_row_s"] = round(time.perf_counter() - executing, 3)
    if sql.upper().startswith("SELECT COUNT"):
        return first[0]
    rows = 0 if first is None else 1
    reading, reader_cpu = time.perf_counter(), time.thread_time()
    while True:
        batch = cursor.fetchmany(10_000)
        if not batch:
            FIGURES["after_first_row_s"] = round(time.perf_counter() - reading, 3)
            FIGURES["reader_cpu_s"] = round(time.thread_time() - reader_cpu, 3)
            return rows
        rows += len(batch)


def tap():
    redirect_requests_to_base()
    from tap_pipedrive.tap import PipedriveTap

    config = {"api_token": TOKEN, "start_date": "2000-01-01T00:00:00Z", "user-agent": "bench"}
    sink = RecordCounter()
    with contextlib.redirect_stdout(sink):
        pipedrive = PipedriveTap(config, {})
        catalog = pipedrive.do_discover()
        for entry in catalog.streams:
            for item in entry.metadata:
                if not item["breadcrumb"]:
                    item["metadata"]["selected"] = entry.tap_stream_id == "deals"
        pipedrive.do_sync(catalog)
    return sink.records


def airbyte():
    redirect_requests_to_base()
    # The connector targets Python 3.10; from 3.11 on, dataclasses refuse a default whose
    # class is unhashable, as the CDK's JsonDecoder is. Hashable by identity, it loads as on 3.10.
    from airbyte_cdk.sources.declarative.decoders.json_decoder import JsonDecoder

    JsonDecoder.__hash__ = object.__hash__
    from airbyte_cdk.entrypoint import AirbyteEntrypoint
    from source_pipedrive import SourcePipedrive

    folder = tempfile.mkdtemp()
    config = {"api_token": TOKEN, "replication_start_date": "2000-01-01T00:00:00Z"}
    catalog = {
        "streams": [
            {
                "stream": {"name": "deals", "json_schema": {}, "supported_sync_modes": ["full_refresh", "incremental"]},
                "sync_mode": "full_refresh",
                "destination_sync_mode": "overwrite",
            }
        ]
    }
    paths = {}
    for name, content in (("config", config), ("catalog", catalog)):
        paths[name] = os.path.join(folder, f"{name}.json")
        with open(paths[name], "w") as f:
            json.dump(content, f)
    source = SourcePipedrive(SourcePipedrive.read_catalog(paths["catalog"]), SourcePipedrive.read_config(paths["config"]), None)
    entrypoint = AirbyteEntrypoint(source)
    arguments = entrypoint.parse_args(["read", "--config", paths["config"], "--catalog", paths["catalog"]])
    records = 0
    # the messages the connector would print, one serialized message each
    for message in entrypoint.run(arguments):
        if '"type":"RECORD"' in message[:40]:
            records += 1
    return records


RUN = {
    "plain": plain,
    "pyodbc": lambda: driver("SELECT * FROM Deals"),
    "count": lambda: driver("SELECT COUNT(*) FROM Deals"),
    "tap": tap,
    "airbyte": airbyte,
}

started = time.perf_counter()
rows = RUN[TOOL]()
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"rows": rows, "seconds": round(seconds, 3), "peak_rss_mib": round(peak, 1), **FIGURES}), file=sys.__stdout__)
