"""Reference values for package snn from Brian2 2.5 (Debian python3-brian).

Writes snn/testdata/snn_ref.json with
  cuba:  the CUBA benchmark network (Brian2's examples/CUBA.py: 3200 exc +
         800 inh LIF, p = 0.02, we = 1.62 mV, wi = -9 mV, exact integration)
         run for 1 s for 5 seeds: per-seed spike count, synapse count, mean
         rate and ISI CV, and their means;
  small: a 40-neuron network with explicit synapses (weights, per-synapse
         delays), explicit v0 and a constant drive, run 300 ms: the full
         spike train (neuron, step) and the final v, ge, gi;
  coba:  one conductance-based neuron (exponential Euler) receiving spikes
         through a spike generator: its v trace;
  cobap: a conductance-based network driven by Poisson inputs, with delays
         (1000 Poisson sources at 10 Hz -> 1000 COBA LIF, p = 0.1, w 0.05;
         800 exc -> all p = 0.05, we 0.1, delay 1.5 ms; 200 inh -> all
         p = 0.05, wi 0.4, delay 0.8 ms), 1 s for 10 seeds: rate and ISI CV;
  same:  a smaller network of that kind (300 Poisson sources at 10 Hz ->
         300 COBA LIF, 240 exc, 60 inh, delays) run 0.5 s, with Brian2's
         connectivity, v0, input spikes and output spikes, so that bcikit
         can run the very same network and compare spike for spike.

Statistics (same definitions as snn.Stats):
  rate = spikes / (N * T)
  cv   = mean over neurons with >= 3 spikes (>= 2 intervals) of
         std(ISI) / mean(ISI), std with ddof = 0.

Run: /usr/bin/python3 testdata/gen/snn_cuba.py   (about 20 s; SNN_CACHE=1 reuses
the CUBA runs of the previous call from /tmp/snn_cuba_runs.json)
"""
import json
import os
import numpy as np
from brian2 import (NeuronGroup, Synapses, SpikeMonitor, StateMonitor, Network,
                    SpikeGeneratorGroup, PoissonGroup, Hz, ms, mV, volt, second, defaultclock, prefs, seed,
                    start_scope)

prefs.codegen.target = 'numpy'
defaultclock.dt = 0.1 * ms

OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'snn', 'testdata', 'snn_ref.json')


def stats(i, t, n, T):
    rate = len(i) / (n * T)
    cvs = []
    order = np.lexsort((t, i))
    i, t = i[order], t[order]
    bounds = np.searchsorted(i, np.arange(n + 1))
    for k in range(n):
        tk = t[bounds[k]:bounds[k + 1]]
        if len(tk) >= 3:
            isi = np.diff(tk)
            cvs.append(np.std(isi) / np.mean(isi))
    return rate, float(np.mean(cvs)) if cvs else 0.0, len(cvs)


def cuba(s, T=1.0):
    start_scope()
    seed(s)
    taum, taue, taui = 20 * ms, 5 * ms, 10 * ms
    Vt, Vr, El = -50 * mV, -60 * mV, -49 * mV
    eqs = '''
    dv/dt  = (ge+gi-(v-El))/taum : volt (unless refractory)
    dge/dt = -ge/taue : volt
    dgi/dt = -gi/taui : volt
    '''
    P = NeuronGroup(4000, eqs, threshold='v>Vt', reset='v = Vr', refractory=5 * ms,
                    method='exact')
    P.v = 'Vr + rand() * (Vt - Vr)'
    P.ge = 0 * mV
    P.gi = 0 * mV
    we = (60 * 0.27 / 10) * mV
    wi = (-20 * 4.5 / 10) * mV
    Ce = Synapses(P, P, on_pre='ge += we')
    Ci = Synapses(P, P, on_pre='gi += wi')
    Ce.connect('i<3200', p=0.02)
    Ci.connect('i>=3200', p=0.02)
    m = SpikeMonitor(P)
    net = Network(P, Ce, Ci, m)
    net.run(T * second)
    i = np.asarray(m.i[:])
    t = np.asarray(m.t[:] / second)
    rate, cv, ncv = stats(i, t, 4000, T)
    return dict(seed=s, synapses=int(len(Ce) + len(Ci)), spikes=int(len(i)), rate=rate, cv=cv,
                cv_neurons=ncv)


def small():
    start_scope()
    rng = np.random.default_rng(7)
    n = 40
    taum, taue, taui = 20 * ms, 5 * ms, 10 * ms
    Vt, Vr, El = -50 * mV, -60 * mV, -49 * mV
    eqs = '''
    dv/dt  = (ge+gi-(v-El))/taum : volt (unless refractory)
    dge/dt = -ge/taue : volt
    dgi/dt = -gi/taui : volt
    '''
    P = NeuronGroup(n, eqs, threshold='v>Vt', reset='v = Vr', refractory=5 * ms, method='exact')
    v0 = -60e-3 + rng.random(n) * 10e-3
    P.v = v0 * volt
    pre, post = np.nonzero(rng.random((n, n)) < 0.2)
    wts = np.where(pre < 30, 1.62e-3, -9e-3) * rng.uniform(0.5, 1.5, len(pre))
    d = rng.integers(0, 31, len(pre))  # delay in steps, 0..3 ms
    exc = pre < 30
    Se = Synapses(P, P, 'w : volt', on_pre='ge_post += w')
    Si = Synapses(P, P, 'w : volt', on_pre='gi_post += w')
    Se.connect(i=pre[exc], j=post[exc])
    Si.connect(i=pre[~exc], j=post[~exc])
    Se.w = wts[exc] * volt
    Si.w = wts[~exc] * volt
    Se.delay = d[exc] * 0.1 * ms
    Si.delay = d[~exc] * 0.1 * ms
    m = SpikeMonitor(P)
    net = Network(P, Se, Si, m)
    net.run(300 * ms)
    steps = np.round(np.asarray(m.t[:] / second) / 1e-4).astype(int)
    return dict(n=n, v0=v0.tolist(), pre=pre.tolist(), post=post.tolist(), w=wts.tolist(),
                delay_steps=d.tolist(), steps=3000, spike_i=np.asarray(m.i[:]).tolist(),
                spike_step=steps.tolist(), v=(np.asarray(P.v[:] / volt)).tolist(),
                ge=(np.asarray(P.ge[:] / volt)).tolist(), gi=(np.asarray(P.gi[:] / volt)).tolist())


def coba():
    start_scope()
    taum, taue, taui = 20 * ms, 5 * ms, 10 * ms
    Vt, Vr, El = -50 * mV, -60 * mV, -60 * mV
    Ee, Ei = 0 * mV, -80 * mV
    eqs = '''
    dv/dt  = (ge*(Ee-v)+gi*(Ei-v)-(v-El))/taum : volt (unless refractory)
    dge/dt = -ge/taue : 1
    dgi/dt = -gi/taui : 1
    '''
    P = NeuronGroup(1, eqs, threshold='v>Vt', reset='v = Vr', refractory=5 * ms,
                    method='exponential_euler')
    P.v = -55 * mV
    P.ge = 0.3
    P.gi = 0.1
    ti = [5, 7, 9, 30, 31, 32, 33, 34, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69]
    src = [0] * len(ti)
    kinds = [0, 0, 1] + [0] * 5 + [0] * 10
    G = SpikeGeneratorGroup(2, [k for k in kinds], np.array(ti) * ms)
    S = Synapses(G, P, on_pre='ge_post += 0.6*(i==0)\ngi_post += 0.8*(i==1)')
    S.connect()
    M = StateMonitor(P, 'v', record=0)
    sm = SpikeMonitor(P)
    net = Network(P, G, S, M, sm)
    net.run(100 * ms)
    return dict(v0=-55e-3, ge0=0.3, gi0=0.1, input_ms=ti, input_kind=kinds, we=0.6, wi=0.8,
                v=(np.asarray(M.v[0] / volt)).tolist(),
                spike_step=np.round(np.asarray(sm.t[:] / second) / 1e-4).astype(int).tolist())


def cobap(s):
    start_scope()
    seed(s)
    taum, taue, taui = 20 * ms, 5 * ms, 10 * ms
    Vt, Vr, El, Ee, Ei = -50 * mV, -60 * mV, -60 * mV, 0 * mV, -80 * mV
    eqs = '''
    dv/dt  = (ge*(Ee-v)+gi*(Ei-v)-(v-El))/taum : volt (unless refractory)
    dge/dt = -ge/taue : 1
    dgi/dt = -gi/taui : 1
    '''
    P = NeuronGroup(1000, eqs, threshold='v>Vt', reset='v = Vr', refractory=5 * ms,
                    method='exponential_euler')
    P.v = 'Vr + rand() * (Vt - Vr)'
    inp = PoissonGroup(1000, 10 * Hz)
    Si = Synapses(inp, P, on_pre='ge += 0.05')
    Si.connect(p=0.1)
    Ce = Synapses(P, P, on_pre='ge += 0.1', delay=1.5 * ms)
    Ce.connect('i<800', p=0.05)
    Ci = Synapses(P, P, on_pre='gi += 0.4', delay=0.8 * ms)
    Ci.connect('i>=800', p=0.05)
    m = SpikeMonitor(P)
    net = Network(P, inp, Si, Ce, Ci, m)
    net.run(1 * second)
    i = np.asarray(m.i[:])
    rate, cv, ncv = stats(i, np.asarray(m.t[:] / second), 1000, 1.0)
    return dict(seed=s, synapses=int(len(Si) + len(Ce) + len(Ci)), spikes=int(len(i)), rate=rate,
                cv=cv, cv_neurons=ncv)


def same():
    start_scope()
    seed(11)
    taum, taue, taui = 20 * ms, 5 * ms, 10 * ms
    Vt, Vr, El, Ee, Ei = -50 * mV, -60 * mV, -60 * mV, 0 * mV, -80 * mV
    eqs = '''
    dv/dt  = (ge*(Ee-v)+gi*(Ei-v)-(v-El))/taum : volt (unless refractory)
    dge/dt = -ge/taue : 1
    dgi/dt = -gi/taui : 1
    '''
    P = NeuronGroup(300, eqs, threshold='v>Vt', reset='v = Vr', refractory=5 * ms,
                    method='exponential_euler')
    P.v = 'Vr + rand() * (Vt - Vr)'
    v0 = np.asarray(P.v[:] / volt).tolist()
    inp = PoissonGroup(300, 10 * Hz)
    Si = Synapses(inp, P, on_pre='ge += 0.15')
    Si.connect(p=0.1)
    Ce = Synapses(P, P, on_pre='ge += 0.1', delay=1.5 * ms)
    Ce.connect('i<240', p=0.15)
    Ci = Synapses(P, P, on_pre='gi += 0.4', delay=0.8 * ms)
    Ci.connect('i>=240', p=0.15)
    m = SpikeMonitor(P)
    mi = SpikeMonitor(inp)
    net = Network(P, inp, Si, Ce, Ci, m, mi)
    net.run(500 * ms)
    steps = lambda mon: np.round(np.asarray(mon.t[:] / second) / 1e-4).astype(int).tolist()
    ij = lambda S: [np.asarray(S.i[:]).tolist(), np.asarray(S.j[:]).tolist()]
    return dict(n=300, steps=5000, v0=v0, w_in=0.15, we=0.1, wi=0.4, si=ij(Si), ce=ij(Ce), ci=ij(Ci),
                in_i=np.asarray(mi.i[:]).tolist(), in_step=steps(mi),
                spike_i=np.asarray(m.i[:]).tolist(), spike_step=steps(m),
                v=np.asarray(P.v[:] / volt).tolist())


if __name__ == '__main__':
    cache = '/tmp/snn_cuba_runs.json'
    if os.environ.get('SNN_CACHE') and os.path.exists(cache):
        runs = json.load(open(cache))
    else:
        runs = [cuba(s) for s in range(1, 6)]
        json.dump(runs, open(cache, 'w'))
    for r in runs:
        print(r)
    out = dict(
        brian2='2.5 numpy target, dt 0.1 ms',
        cuba=dict(runs=runs, duration=1.0,
                  mean_rate=float(np.mean([r['rate'] for r in runs])),
                  mean_cv=float(np.mean([r['cv'] for r in runs])),
                  mean_synapses=float(np.mean([r['synapses'] for r in runs]))),
        small=small(), coba=coba())
    cp = [cobap(s) for s in range(1, 11)]
    out['cobap'] = dict(runs=cp, mean_rate=float(np.mean([r['rate'] for r in cp])),
                        mean_cv=float(np.mean([r['cv'] for r in cp])),
                        mean_synapses=float(np.mean([r['synapses'] for r in cp])))
    print('cobap', out['cobap'])
    out['same'] = same()
    print('same: %d input spikes, %d spikes' % (len(out['same']['in_i']), len(out['same']['spike_i'])))
    print('mean rate', out['cuba']['mean_rate'], 'mean cv', out['cuba']['mean_cv'])
    print('small spikes', len(out['small']['spike_i']), 'coba spikes', out['coba']['spike_step'])
    with open(OUT, 'w') as f:
        json.dump(out, f)
