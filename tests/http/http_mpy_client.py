# Drives devflow's HttpClient from a JSON script; runs unchanged under
# MicroPython (as a program) and CPython (imported by the tests).
#
#   micropython http_mpy_client.py script.json   -> one JSON line per step
#
# script: {"ca_file": path|null, "timeout_s": n, "deadline_s": n,
#          "steps": [{"method", "url", "headers", "body", "max_body"}
#                    | {"close": true}]}
# Each result carries the client's counters after the step, so a test can
# see connection reuse from the client's side as well as the server's.

import json
import sys

from devflow.adapters.http import HttpClient
from devflow.core.errors import ConfigError, NetworkError
from devflow.core.wire import Request


def _text(data):
    try:
        return str(data, "utf-8")
    except UnicodeError:
        return None


def _await_server_close(client, timeout_ms):
    # Test synchronisation: wait (bounded) until the server has closed the
    # kept connection, so the next step deterministically meets a stale one.
    import select

    poller = select.poll()
    poller.register(client.sock, select.POLLIN)
    return {"server_closed": bool(poller.poll(timeout_ms))}


def _step(client, step):
    if step.get("close"):
        client.close()
        return {"closed": True}
    if step.get("await_server_close"):
        return _await_server_close(client, step["await_server_close"])
    body = step.get("body")
    headers = [(k, v) for k, v in step.get("headers", [])]
    request = Request(step.get("method", "GET"), step["url"], headers,
                      body.encode() if body is not None else None,
                      "test", step.get("max_body", 16384))
    try:
        response = client.perform(request)
    except NetworkError as err:
        return {"error": err.args[0], "detail": err.args[1]}
    except ConfigError as err:
        return {"config_error": str(err)}
    return {"status": response.status, "headers": response.headers,
            "body": _text(response.body), "len": len(response.body)}


def run(script):
    ca = None
    if script.get("ca_file"):
        with open(script["ca_file"], "rb") as f:
            ca = f.read()
    client = HttpClient(ca_data=ca, timeout_s=script.get("timeout_s", 5),
                        deadline_s=script.get("deadline_s", 20))
    results = []
    for step in script["steps"]:
        try:
            result = _step(client, step)
        except Exception as exc:  # the adapter let something escape: report it
            result = {"escaped": type(exc).__name__ + ": " + str(exc)}
        result["opened"] = client.connections_opened
        result["sent"] = client.requests_sent
        results.append(result)
    client.close()
    return results


def main(path):
    with open(path) as f:
        script = json.load(f)
    for result in run(script):
        print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1])
