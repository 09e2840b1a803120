"""GNPy's GSNR for given routes, for Lightpath's side-by-side QoT check (bench/qot_compare).

Run with GNPy importable (its run.sh python):  gnpy_qot.py TOPOLOGY.json ROUTES.json [EQPT.json]
ROUTES.json: [{"nodes": ["roadm A", "roadm B", ...], "baud_gbd": 32, "spacing_ghz": 50}, ...]
Prints a JSON array, one object per route: gsnr_db (0.1 nm, mean over channels, as GNPy's
transmission example reports it), gsnr_signal_db, osnr_db, spans.

The network is auto-designed once for the equipment's reference channel (SI), exactly as
gnpy-transmission-example designs it, then each route is propagated with a full spectrum load.
"""
import json
import sys
from copy import deepcopy
from pathlib import Path

from numpy import mean

from gnpy.core.elements import Fiber, Roadm, Transceiver
from gnpy.core.equipment import trx_mode_params
from gnpy.core.network import add_missing_elements_in_network, design_network
from gnpy.core.parameters import SimParams
from gnpy.core.utils import automatic_nch, dbm2watt
from gnpy.tools.json_io import load_equipments_and_configs, load_network
from gnpy.topology.request import PathRequest, propagate


def oms_chain(network, start, end):
    """Elements from ROADM `start` (excluded) up to ROADM `end` (included), one OMS."""
    for first in network.successors(start):
        chain, node = [], first
        while not isinstance(node, (Roadm, Transceiver)):
            chain.append(node)
            node = next(network.successors(node))
        if node is end:
            return chain + [end]
    raise SystemExit(f'no line from {start.uid} to {end.uid}')


def main():
    topology, routes_file = Path(sys.argv[1]), Path(sys.argv[2])
    eqpt = Path(sys.argv[3]) if len(sys.argv) > 3 else \
        Path(__import__('gnpy').__file__).parent / 'example-data' / 'eqpt_config.json'
    equipment = load_equipments_and_configs(eqpt, [], [])
    network = load_network(topology, equipment)
    SimParams.set_params({})
    add_missing_elements_in_network(network, equipment)
    si = equipment['SI']['default']
    params = {
        'request_id': 'reference', 'trx_type': '', 'trx_mode': '', 'source': None,
        'destination': None, 'bidir': False, 'nodes_list': [], 'loose_list': [], 'format': '',
        'path_bandwidth': 0, 'effective_freq_slot': None,
        'nb_channel': automatic_nch(si.f_min, si.f_max, si.spacing),
        'power': dbm2watt(si.power_dbm), 'tx_power': dbm2watt(si.power_dbm),
    }
    params.update(trx_mode_params(equipment))
    reference = PathRequest(**params)
    design_network(reference, network, equipment, set_connector_losses=True, verbose=False)

    by_uid = {n.uid: n for n in network.nodes()}
    out = []
    for route in json.loads(routes_file.read_text()):
        roadms = [by_uid[u] for u in route['nodes']]
        source = next(t for t in network.predecessors(roadms[0]) if isinstance(t, Transceiver))
        sink = next(t for t in network.successors(roadms[-1]) if isinstance(t, Transceiver))
        path = [source, roadms[0]]
        for a, z in zip(roadms, roadms[1:]):
            path += oms_chain(network, a, z)
        path.append(sink)
        req = deepcopy(reference)
        req.baud_rate = route.get('baud_gbd', 32) * 1e9
        req.spacing = route.get('spacing_ghz', 50) * 1e9
        req.nb_channel = automatic_nch(si.f_min, si.f_max, req.spacing)
        req.initial_spectrum = None
        propagate(path, req, equipment)
        out.append({
            'nodes': route['nodes'],
            'gsnr_db': float(mean(sink.snr_01nm)),
            'gsnr_signal_db': float(mean(sink.snr)),
            'osnr_db': float(mean(sink.osnr_ase_01nm)),
            'spans': sum(1 for e in path if isinstance(e, Fiber)),
        })
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == '__main__':
    main()
