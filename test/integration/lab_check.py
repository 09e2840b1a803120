#!/usr/bin/python3
"""An independent look at the NETCONF lab's devices (ncclient, not Lightpath's code).

  lab_check.py holds LAB CONNECTION NODE...   every node holds configuration naming the
                                              connection, in the lists of its own dialect
  lab_check.py none LAB CONNECTION...         no device holds anything naming them
  lab_check.py keys LAB CONNECTION KEY NODE...
                                              every node holds the connection encrypted with
                                              key KEY alone, in use, the same secret on all
"""
import concurrent.futures
import json
import sys
import xml.etree.ElementTree as ET

from ncclient import manager

# Where each dialect keeps a connection's configuration: (list element, key leaf).
LISTS = {
    "openconfig": [("channel", "name"), ("optical-channel", "name"), ("ethernet-service", "name")],
    "openroadm": [("roadm-connections", "connection-name"), ("odu-connection", "connection-name"),
                  ("interface", "name")],
    "switch": [("evc", "name"), ("cloud-attachment", "name")],
}


def local(tag):
    return tag.rsplit("}", 1)[-1]


def running(lab, device):
    m = manager.connect(host=device["host"], port=device["port"], username=device["username"],
                        key_filename=f"{lab}/client_key", hostkey_verify=False,
                        allow_agent=False, look_for_keys=False, timeout=10)
    try:
        return ET.fromstring(m.get_config("running").data_xml)
    finally:
        m.close_session()


def encryption(lab, device, connection):
    """(active key, {key id: secret}) of every encrypted entry the connection owns there."""
    found = []
    for element in running(lab, device).iter():
        leaves = {local(c.tag): c for c in element}
        if "encryption" not in leaves or (leaves.get("description") is None or
                                          leaves["description"].text != connection):
            continue
        enc = {local(c.tag): c for c in leaves["encryption"]}
        keys = {}
        for k in leaves["encryption"]:
            if local(k.tag) == "key":
                parts = {local(c.tag): (c.text or "") for c in k}
                keys[parts.get("id", "")] = parts.get("secret", "")
        found.append((enc["active-key"].text if "active-key" in enc else "", keys))
    return found


def owned(lab, device):
    """(list, name) of every list entry on the device whose description names a connection."""
    data = running(lab, device)
    found = []
    for element in data.iter():
        for list_name, key in LISTS[device["dialect"]]:
            if local(element.tag) != list_name:
                continue
            leaves = {local(c.tag): (c.text or "") for c in element}
            found.append((list_name, leaves.get(key, ""), leaves.get("description", "")))
    return found


def main():
    command, lab = sys.argv[1], sys.argv[2]
    devices = {d["node"]: d for d in json.load(open(f"{lab}/devices.json"))}
    bad = 0
    # Every device asked at once: each session takes a few hundred ms to open.
    if command == "keys":
        connection, key = sys.argv[3], sys.argv[4]
        secrets = set()
        for node in sys.argv[5:]:
            entries = encryption(lab, devices[node], connection)
            if not entries:
                print(f"{node} holds no key of {connection}")
                bad += 1
            for active, keys in entries:
                if active != key or list(keys) != [key]:
                    print(f"{node}: {connection} uses {active} of {sorted(keys)}, not {key} alone")
                    bad += 1
                secrets.add(keys.get(key, ""))
        if len(secrets) != 1 or len(next(iter(secrets))) != 64:
            print(f"the ends of {connection} do not hold one same 256-bit key")
            bad += 1
        sys.exit(1 if bad else 0)
    wanted = sys.argv[4:] if command == "holds" else list(devices)
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        held = dict(zip(wanted, pool.map(lambda node: owned(lab, devices[node]), wanted)))
    if command == "holds":
        connection = sys.argv[3]
        for node in wanted:
            if not [e for e in held[node] if e[2] == connection and connection in e[1]]:
                print(f"{node} ({devices[node]['dialect']}) holds nothing of {connection}")
                bad += 1
    elif command == "none":
        for node in wanted:
            for list_name, name, description in held[node]:
                if any(c and (c in name or c == description) for c in sys.argv[3:]):
                    print(f"{node} still holds {list_name} {name}")
                    bad += 1
    else:
        sys.exit(__doc__)
    sys.exit(1 if bad else 0)


main()
