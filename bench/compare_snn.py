"""Brian2 side of bench/compare_snn.sh: the CUBA network of Brian2's
examples/CUBA.py (Vogels & Abbott 2005) for one seed and one code-generation
target, printed as one JSON line.

  /usr/bin/python3 bench/compare_snn.py --target standalone|cython|numpy \
      [--seed 1] [--duration 1] [--neurons 4000] [--repeat 1] [--dir DIR]

run_s is Brian2's own measure of the simulation loop (device._last_run_time:
for cpp_standalone the C++ main loop, read from results/last_run_info.txt,
which brianlib measures with std::clock(), i.e. process CPU time; for runtime
targets the wall time of the loop of Network.run after code generation), so it
excludes code generation and compilation (with --repeat, the fastest of the
repeated runs of the compiled program; runs_s lists them all); total_s is the
script from after the imports to the end of the first run, compilation
included. For standalone, program_wall_s is the fastest wall time of the
repeated runs of the whole compiled program, timed from outside (start-up,
building the synapses and writing results included): run once more with
--duration 0.0001 to measure that overhead and subtract it. Statistics as
bcikit's snn.Stats: rate = spikes / (N T); cv = mean over neurons with >= 3
spikes of std(ISI)/mean(ISI), std with ddof = 0.
"""
import argparse
import json
import shutil
import tempfile
import time

import numpy as np
import brian2 as b2
from brian2 import ms, mV, second


def stats(i, t, n, T):
    rate = len(i) / (n * T)
    order = np.lexsort((t, i))
    i, t = i[order], t[order]
    bounds = np.searchsorted(i, np.arange(n + 1))
    cvs = []
    for k in range(n):
        tk = t[bounds[k]:bounds[k + 1]]
        if len(tk) >= 3:
            isi = np.diff(tk)
            cvs.append(np.std(isi) / np.mean(isi))
    return rate, float(np.mean(cvs)) if cvs else 0.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--target', choices=['standalone', 'cython', 'numpy'], required=True)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--duration', type=float, default=1.0)
    ap.add_argument('--neurons', type=int, default=4000)
    ap.add_argument('--repeat', type=int, default=1,
                    help='standalone only: run the compiled program this many more times, '
                    'timing each (wall, from outside) and report the fastest of each measure '
                    '(a shared machine times noisily)')
    ap.add_argument('--dir', help='cpp_standalone project directory (kept, so that a '
                    'second run recompiles only what changed); default a removed temporary one')
    a = ap.parse_args()
    t0 = time.time()
    tmp = None
    if a.target == 'standalone':
        d = a.dir
        if d is None:
            d = tmp = tempfile.mkdtemp(prefix='cuba_standalone_')
        b2.set_device('cpp_standalone', directory=d)
    else:
        b2.prefs.codegen.target = a.target
    b2.seed(a.seed)
    b2.defaultclock.dt = 0.1 * ms
    n = a.neurons
    ne = n * 4 // 5
    taum, taue, taui = 20 * ms, 5 * ms, 10 * ms
    Vt, Vr, El = -50 * mV, -60 * mV, -49 * mV
    eqs = '''
    dv/dt  = (ge+gi-(v-El))/taum : volt (unless refractory)
    dge/dt = -ge/taue : volt
    dgi/dt = -gi/taui : volt
    '''
    P = b2.NeuronGroup(n, eqs, threshold='v>Vt', reset='v = Vr', refractory=5 * ms,
                       method='exact')
    P.v = 'Vr + rand() * (Vt - Vr)'
    P.ge = 0 * mV
    P.gi = 0 * mV
    we = (60 * 0.27 / 10) * mV
    wi = (-20 * 4.5 / 10) * mV
    Ce = b2.Synapses(P, P, on_pre='ge += we')
    Ci = b2.Synapses(P, P, on_pre='gi += wi')
    Ce.connect('i<%d' % ne, p=0.02)
    Ci.connect('i>=%d' % ne, p=0.02)
    m = b2.SpikeMonitor(P)
    b2.run(a.duration * second)
    total = time.time() - t0
    run = float(b2.get_device()._last_run_time)
    runs = [run]
    wall = None
    if a.target == 'standalone':
        dev = b2.get_device()
        walls = []
        for _ in range(a.repeat):
            w0 = time.perf_counter()
            dev.run(d, False, [])
            walls.append(time.perf_counter() - w0)
            runs.append(float(dev._last_run_time))
        run = min(runs)
        wall = min(walls) if walls else None
    i = np.asarray(m.i[:])
    t = np.asarray(m.t[:] / second)
    rate, cv = stats(i, t, n, a.duration)
    print(json.dumps(dict(target=a.target, seed=a.seed, neurons=n, duration_s=a.duration,
                          synapses=int(len(Ce) + len(Ci)), spikes=int(len(i)), rate_hz=rate,
                          isi_cv=cv, run_s=run, runs_s=runs, total_s=total,
                          program_wall_s=wall)))
    if tmp:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    main()
