"""Reference fixtures for bcikit's brainvision reader: what MNE-Python 1.3's
mne.io.read_raw_brainvision(vhdr, preload=True) reads from every BrainVision
file of the shared data directory, in the shared mneref format.

Run from the module root with Debian's MNE:
    BCIKIT_DATA=../shared/data /usr/bin/python3 testdata/gen/brainvision_ref.py
"""
import os
import sys
import warnings

import mne

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mneref import dump  # noqa: E402

DATA = os.environ.get("BCIKIT_DATA", os.path.join("..", "shared", "data"))
FILES = ["test", "testv2", "test_old_layout_latin1_software_filter"]

mne.set_log_level("ERROR")
for name in FILES:
    rel = "formats/BrainVision/%s.vhdr" % name
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # MNE warns about filters and coordinates
        raw = mne.io.read_raw_brainvision(os.path.join(DATA, rel), preload=True)
    dump(raw, rel, "brainvision/testdata/ref_%s.json" % name,
         reader="read_raw_brainvision", kwargs={"preload": True})
    print(rel, len(raw.ch_names), raw.n_times, len(raw.annotations))
