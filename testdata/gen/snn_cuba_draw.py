"""Brian2 2.5's own draw of the CUBA network (examples/CUBA.py, seed 1,
numpy target), with everything bcikit needs to run the very same network:
connectivity, initial potentials, and the spikes of 1 s.

  /usr/bin/python3 testdata/gen/snn_cuba_draw.py OUT.json   (about 10 s)
  SNN_BRIAN2_CUBA=OUT.json go test -run TestBrian2CUBADraw ./snn

The file is about 4 MB, too large for a fixture, so the test is opt-in
(skipped without the variable); snn/testdata/snn_ref.json holds a smaller
network checked the same way on every run (TestBrian2SameNetwork).
"""
import json
import sys

import numpy as np
from brian2 import (NeuronGroup, Synapses, SpikeMonitor, run, seed, defaultclock, prefs,
                    ms, mV, volt, second)

prefs.codegen.target = 'numpy'
defaultclock.dt = 0.1 * ms
seed(1)
taum, taue, taui = 20 * ms, 5 * ms, 10 * ms
Vt, Vr, El = -50 * mV, -60 * mV, -49 * mV
eqs = '''
dv/dt  = (ge+gi-(v-El))/taum : volt (unless refractory)
dge/dt = -ge/taue : volt
dgi/dt = -gi/taui : volt
'''
P = NeuronGroup(4000, eqs, threshold='v>Vt', reset='v = Vr', refractory=5 * ms, method='exact')
P.v = 'Vr + rand() * (Vt - Vr)'
Ce = Synapses(P, P, on_pre='ge += 1.62*mV')
Ci = Synapses(P, P, on_pre='gi += -9*mV')
Ce.connect('i<3200', p=0.02)
Ci.connect('i>=3200', p=0.02)
v0 = np.asarray(P.v[:] / volt)
m = SpikeMonitor(P)
run(1 * second)
steps = np.round(np.asarray(m.t[:] / second) / 1e-4).astype(int).tolist()
with open(sys.argv[1], 'w') as f:
    json.dump(dict(v0=v0.tolist(), ce=[Ce.i[:].tolist(), Ce.j[:].tolist()],
                   ci=[Ci.i[:].tolist(), Ci.j[:].tolist()],
                   spike_i=np.asarray(m.i[:]).tolist(), spike_step=steps), f)
print(len(m.i), 'spikes')
