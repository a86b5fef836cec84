"""Edge-case fixtures for bcikit's brainvision reader.

Builds small BrainVision file sets that exercise the rules MNE-Python 1.3
applies (data layouts and formats, units, channel types, configparser
syntax, codepages, marker parsing, annotation cropping, bad input), reads
each with mne.io.read_raw_brainvision(vhdr, preload=True) and records
either MNE's error or everything it read. The Go test writes the same
files to a temporary directory and checks that bcikit opens exactly the
sets MNE opens, with the same result.

Cases where bcikit deliberately differs from MNE carry "deviation" (the
reason); for those the Go test expects the opposite outcome.

Run from the module root:
    /usr/bin/python3 testdata/gen/brainvision_edge.py
"""
import json
import os
import struct
import tempfile
import warnings

import mne
from mne.io.constants import FIFF

OUT = "brainvision/testdata/edge.json"
UNITS = {FIFF.FIFF_UNIT_V: "V", FIFF.FIFF_UNIT_NONE: "NA", FIFF.FIFF_UNIT_CEL: "C"}

MAGIC = "Brain Vision Data Exchange Header File Version 1.0"
MMAGIC = "Brain Vision Data Exchange Marker File, Version 1.0"
NS = "Mk1=New Segment,,1,1,0,20131113161403794232"


def hdr(chans, si="1000", orient="MULTIPLEXED", dformat="BINARY", fmt="INT_16",
        nchan=None, magic=MAGIC, common="", sections="", fmtsec=None, pre="", post="", lines=False):
    """A header; chans are the Ch<n>= values, or the section's lines as they are if lines."""
    if not lines:
        chans = ["Ch%d=%s" % (i + 1, c) for i, c in enumerate(chans)]
    if fmtsec is None:
        fmtsec = "[Binary Infos]\nBinaryFormat=%s\n" % fmt
    return (f"{magic}\n{pre}\n[Common Infos]\nCodepage=UTF-8\nDataFile=x.eeg\n"
            f"MarkerFile=x.vmrk\nDataFormat={dformat}\nDataOrientation={orient}\n"
            f"NumberOfChannels={len(chans) if nchan is None else nchan}\n"
            f"SamplingInterval={si}\n{common}\n{fmtsec}\n[Channel Infos]\n"
            + "\n".join(chans) + "\n" + sections + post)


def mrk(*lines, magic=MMAGIC, head=""):
    return f"{magic}\n{head}\n[Marker Infos]\n" + "\n".join(lines) + "\n"


def i16(vals):
    return struct.pack("<%dh" % len(vals), *vals)


def i32(vals):
    return struct.pack("<%di" % len(vals), *vals)


def f32(vals):
    return struct.pack("<%df" % len(vals), *vals)


RAMP = i16([(-1) ** k * 37 * k for k in range(20)])  # 2 channels x 10 samples
TWO = ["A,,1,µV", "B,,0.5,µV"]

CASES = []


def case(name, vhdr, vmrk=mrk(NS), eeg=RAMP, deviation=None, extra=None, latin1_locale=False):
    files = {"x.vhdr": vhdr, "x.vmrk": vmrk, "x.eeg": eeg}
    files.update(extra or {})
    CASES.append(dict(name=name, files=files, deviation=deviation, latin1_locale=latin1_locale))


# --- data layouts and formats
case("int16 multiplexed units", hdr(["A,,0.1,µV", "B,,2,mV", "C,,1,V", "D,,3,nV", "E,,0.5,uV"]),
     eeg=i16(range(-25, 25)))
case("int16 vectorized", hdr(TWO, orient="VECTORIZED"))
case("int32 multiplexed", hdr(TWO, fmt="INT_32"), eeg=i32([2**31 - 1, -2**31, 7, -7, 123456789, 0]))
case("int32 vectorized", hdr(TWO, fmt="INT_32", orient="VECTORIZED"), eeg=i32(range(-400000, 400000, 100000)))
case("float32 multiplexed", hdr(TWO, fmt="IEEE_FLOAT_32"), eeg=f32([0.1, -2.5e7, 3.25, 1e-30, -0.0, 42.0]))
case("float32 vectorized", hdr(TWO, fmt="IEEE_FLOAT_32", orient="VECTORIZED"),
     eeg=f32([0.1, -2.5e7, 3.25, 1e-30, -0.0, 42.0]))
case("partial trailing frame multiplexed", hdr(TWO), eeg=RAMP + b"\x01")
case("partial trailing sample vectorized", hdr(TWO, orient="VECTORIZED"), eeg=RAMP[:-2])
case("vectorized DataPoints matches", hdr(TWO, orient="VECTORIZED", common="DataPoints=10"))
case("vectorized DataPoints below file", hdr(TWO, orient="VECTORIZED", common="DataPoints=4"))
case("vectorized DataPoints beyond file", hdr(TWO, orient="VECTORIZED", common="DataPoints=12"),
     deviation="a VECTORIZED file shorter than DataPoints is ErrTruncated")
case("vectorized DataPoints not a number", hdr(TWO, orient="VECTORIZED", common="DataPoints=ten"))
case("multiplexed DataPoints not a number", hdr(TWO, common="DataPoints=ten"))
case("uint16", hdr(TWO, fmt="UINT_16"))
case("orientation lower case", hdr(TWO, orient="multiplexed"))
case("no sample", hdr(TWO), eeg=b"\x01\x02\x03")
case("empty data file", hdr(TWO), eeg=b"")
case("one channel", hdr(["A,,1,µV"]))

# --- ASCII data
ASC = "[ASCII Infos]\nDecimalSymbol=.\nSkipLines=1\n"
case("ascii spaces", hdr(TWO, dformat="ASCII", fmtsec=ASC), eeg=b"A B\n1.5 -2\n3   4e1\n 7 8 \n")
case("ascii commas crlf", hdr(TWO, dformat="ASCII", fmtsec="[ASCII Infos]\nSkipLines=0\n"),
     eeg=b"1.5,-2\r\n3,4e1\r\n7,8")
case("ascii decimal comma", hdr(TWO, dformat="ASCII", fmtsec="[ASCII Infos]\nDecimalSymbol=,\nSkipLines=2\n"),
     eeg=b"h1\nh2\n1,5 2,25\n-3,0 4\n")
case("ascii other DataFormat", hdr(TWO, dformat="TEXT", fmtsec="[ASCII Infos]\nSkipLines=0\n"),
     eeg=b"1 2\n3 4\n")
case("ascii decimal comma with commas", hdr(TWO, dformat="ASCII",
     fmtsec="[ASCII Infos]\nDecimalSymbol=,\nSkipLines=0\n"), eeg=b"1,5,2,5\n")
case("ascii blank line", hdr(TWO, dformat="ASCII", fmtsec=ASC), eeg=b"A B\n1 2\n\n3 4\n")
case("ascii tab separated", hdr(TWO, dformat="ASCII", fmtsec=ASC), eeg=b"A B\n1\t2\n")
case("ascii wrong count", hdr(TWO, dformat="ASCII", fmtsec=ASC), eeg=b"A B\n1 2 3\n")
case("ascii bad number", hdr(TWO, dformat="ASCII", fmtsec=ASC), eeg=b"A B\n1 x\n")
case("ascii non-ascii", hdr(TWO, dformat="ASCII", fmtsec=ASC), eeg="A B\n1 2\u00b5\n".encode())
case("ascii one channel", hdr(["A,,1,µV"], dformat="ASCII", fmtsec=ASC), eeg=b"A\n1\n2\n")
case("ascii no SkipLines", hdr(TWO, dformat="ASCII", fmtsec="[ASCII Infos]\nDecimalSymbol=.\n"),
     eeg=b"1 2\n")
case("ascii skips everything", hdr(TWO, dformat="ASCII", fmtsec="[ASCII Infos]\nSkipLines=5\n"),
     eeg=b"1 2\n3 4\n")
case("ascii negative SkipLines", hdr(TWO, dformat="ASCII", fmtsec="[ASCII Infos]\nSkipLines=-3\n"),
     eeg=b"1 2\n3 4\n")
case("ascii vectorized", hdr(TWO, dformat="ASCII", orient="VECTORIZED", fmtsec=ASC), eeg=b"A\n1 2\n")

# --- first line, codepages
case("v2 header", hdr(TWO, magic="BrainVision Data Exchange Header File Version 2.0"))
case("core header", hdr(TWO, magic="Brain Vision Core Data Exchange Header File Version 1.0"))
case("v-amp header", hdr(TWO, magic="Brain Vision V-Amp Data Header File Version 1.0"))
case("bad header magic", hdr(TWO, magic="Brain Vision Data Exchange Header File Version 3.0"),
     deviation="a header whose first line is not a BrainVision one is ErrHeader")
case("bad marker magic", hdr(TWO), vmrk=mrk(NS, magic="Marker file"),
     deviation="a marker file whose first line is not a BrainVision one is ErrMarkers")
LAT = hdr(["A\u00e9,,1,\u00b5V", "B,,1,\u00b5V"]).replace("Codepage=UTF-8\n", "")
case("latin-1 without codepage", LAT.encode("latin-1"))
case("latin-1 declared", LAT.replace("[Common Infos]\n", "[Common Infos]\nCodepage=Latin-1\n").encode("latin-1"))
case("ansi declared", hdr(["A\u20ac,,1,\u00b5V", "B,,1,mV"]).replace("UTF-8", "ANSI").encode("cp1252"))
case("ansi undefined byte", hdr(["A,,1,\u00b5V", "B,,1,mV"]).replace("UTF-8", "ANSI").encode("cp1252")
     .replace(b"B,,", b"B\x81,,"))
case("unknown codepage", hdr(TWO).replace("UTF-8", "klingon"))
case("utf-8 declared but latin-1 with utf-8 micro", hdr(["A\u00e9,,1,\u00b5V", "B,,1,mV"]).encode("utf-8")
     .replace(b"A\xc3\xa9", b"A\xe9"))
case("codepage with CR", hdr(TWO).replace("\n", "\r\n"))
case("codepage ascii with latin-1 bytes", hdr(["A\u00e9,,1,\u00b5V", "B,,1,mV"]).replace("UTF-8", "ascii")
     .encode("latin-1"))
case("codepage alias", hdr(["A\u00e9,,1,\u00b5V", "B,,1,mV"]).replace("UTF-8", "ISO_8859-1:1987")
     .encode("latin-1"))
case("markers utf-8-sig with bom", hdr(TWO),
     vmrk=b"\xef\xbb\xbf" + mrk(NS, "Mk2=S,\u00e9,2,1,0", head="Codepage=utf-8-sig").encode())
case("markers ansi", hdr(TWO), vmrk=mrk(NS, "Mk2=S,\u20ac,2,1,0", head="Codepage=ANSI").encode("cp1252"),
     latin1_locale=True)

# --- channels
case("escaped commas", hdr(["A\\1B,Ref\\1x,1,µV", "\\1,,1,µV"]))
case("empty name", hdr([",,1,µV", "B,,1,µV"]))
case("duplicate names", hdr(["A,,1,µV", "A,,1,µV"]))
case("types by name and unit", hdr(["HEOGL,,1,mV", "STI 014,,1,µV", "VEOGb,,1,BS", "X,,1,C", "Y,,1,°C",
                                     "Z,,1,µS", "W,,1,ARU", "Q,,1,n/a", "N,,1,N", "S,,1,S", "G,,1,\u03bcV",
                                     "U,,1,uS", "H,,1,HEOGR"]),
     eeg=i16(range(13 * 3)))
case("short entries", hdr(["A,,0.5", "B,,0.5,", "C,,,", "D,,, mV"]), eeg=i16(range(12)))
case("two fields", hdr(["A,", "B,,1,µV"]))
case("resolution forms", hdr(["A,, 1_0 ,µV", "B,,1e-1,µV", "C,,+.5,µV", "D,,٣,µV"]), eeg=i16(range(12)))
case("resolution nan", hdr(["A,,nan,µV", "B,,1,µV"]))
case("resolution zero", hdr(["A,,0,µV", "B,,1,µV"]))
case("resolution text", hdr(["A,,x,µV", "B,,1,µV"]))
case("resolution underflow", hdr(["A,,1e-320,nV", "B,,1,µV"]))
case("NumberOfChannels zero", hdr(TWO, nchan=0))
case("NumberOfChannels too large", hdr(TWO, nchan=3))
case("NumberOfChannels too small", hdr(TWO, nchan=1))
case("NumberOfChannels absurd", hdr(TWO, nchan=10**12))
case("NumberOfChannels text", hdr(TWO, nchan="two"))
case("NumberOfChannels padded", hdr(TWO, nchan=" +2 "))
case("Ch0 is the last channel", hdr(["Ch0=A,,1,µV", "Ch1=B,,1,µV"], lines=True))
case("later entry overwrites", hdr(["Ch01=A,,1,µV", "Ch1=B,,2,µV", "Ch2=C,,1,µV"], nchan=2, lines=True))
case("key without number", hdr(["Ch1=A,,1,µV", "Ch2=B,,1,µV", "Chx=C,,1,µV"], nchan=2, lines=True))

# --- configparser rules
case("continuation line", hdr(["Ch1=A,,1,", "   mV", "Ch2=B,,1,µV"], nchan=2, lines=True))
case("blank line inside value", hdr(["Ch1=A,,1,µV", "", "   x", "Ch2=B,,1,µV"], nchan=2, lines=True))
case("colon delimiter and case", hdr(["cH1 : A,,1,µV", "CH2=B:c,,1,µV"], lines=True))
case("comments", hdr(["; one", "Ch1=A,,1,µV", "  # two", "Ch2=B,,1,µV"], nchan=2, lines=True))
case("default section", hdr(TWO, pre="[DEFAULT]\nfoo=bar"))
case("default channel", hdr(["Ch1=A,,1,µV"], nchan=2, pre="[DEFAULT]\nch2=D,,1,µV", lines=True))
case("interpolation", hdr(["Ch1=A%(ch2)s%%,,1,µV", "Ch2=B,,1,µV"], lines=True))
case("interpolation loop", hdr(["Ch1=A%(ch2)s,,1,µV", "Ch2=B%(ch1)s,,1,µV"], lines=True))
case("lone percent", hdr(["A%,,1,µV", "B,,1,µV"]))
case("duplicate key", hdr(["Ch1=A,,1,µV", "ch1=B,,1,µV"], lines=True))
case("duplicate section", hdr(TWO, post="[Channel Infos]\n"))
case("garbage line", hdr(TWO, post="garbage\n"))
case("text before sections", hdr(TWO, pre="garbage"))
case("comment section", hdr(TWO, post="[Comment]\nCh9=whatever\n%\n"))
case("comment twice", hdr(TWO, post="[Comment]\n[Comment]\n"))
case("common infos lower case", hdr(TWO).replace("[Common Infos]", "[Common infos]"))
case("no common infos", hdr(TWO).replace("[Common Infos]", "[Common]"))
case("section header with trailing text", hdr(TWO).replace("[Channel Infos]", "[Channel Infos] ]x]"))
case("section header trailing bracket", hdr(TWO).replace("[Channel Infos]", "[Channel Infos]x]"))
case("no MarkerFile", hdr(TWO).replace("MarkerFile=x.vmrk\n", ""))

# --- sampling interval
case("sampling 256 Hz", hdr(TWO, si="3906.25"), vmrk=mrk(NS, "Mk2=Stimulus,S  1,4,2,0"))
case("sampling awkward", hdr(TWO, si="333.333"),
     vmrk=mrk(NS, "Mk2=Stimulus,S  1,4,2,0", "Mk3=Stimulus,S  2,10,3,0", "Mk4=Stimulus,S  3,7,1,0"))
case("sampling zero", hdr(TWO, si="0"))
case("sampling negative", hdr(TWO, si="-1000"))
case("sampling text", hdr(TWO, si="fast"))
case("sampling inf", hdr(TWO, si="inf"))

# --- coordinates
case("coordinates", hdr(TWO, sections="[Coordinates]\nCh1=1,-90,-72\nCh2=0,0,0\n"))
case("coordinates missing eeg", hdr(TWO, sections="[Coordinates]\nCh1=1,-90,-72\n"))
case("coordinates missing misc", hdr(["A,,1,µV", "B,,1,BS"], sections="[Coordinates]\nCh1=1,-90,-72\n"))
case("coordinates nan radius", hdr(TWO, sections="[Coordinates]\nCh1=nan,0,0\nCh2=0,0,0\n"))
case("coordinates bad key", hdr(TWO, sections="[Coordinates]\nCh1=1,0,0\nCh3=0,0,0\n"))
case("coordinates two values", hdr(TWO, sections="[Coordinates]\nCh1=1,0\nCh2=0,0,0\n"))

# --- markers
M = ["Mk2=Stimulus,S253,3,0,0", "Mk3=Response,R  1,5,2,0", "Mk4=Comment,a\\1b,2,1,0"]
case("markers basic", hdr(TWO), vmrk=mrk(NS, *M))
case("markers crop and clip", hdr(TWO), vmrk=mrk(
    NS, "Mk2=S,past end,12,1,0", "Mk3=S,at end,11,1,0", "Mk4=S,last,10,5,0", "Mk5=S,before,0,0,0",
    "Mk6=S,touch start,0,1,0", "Mk7=S,across start,0,3,0", "Mk8=S,negative,-5,2,0", "Mk9=S,whole,1,10,0"))
case("marker date zeros", hdr(TWO), vmrk=mrk("Mk1=New Segment,,1,1,0,00000000000000000000", *M))
case("marker date month 00", hdr(TWO), vmrk=mrk("Mk1=New Segment,,1,1,0,20130013161403794232", *M))
case("marker date leftover", hdr(TWO), vmrk=mrk("Mk1=New Segment,,1,1,0,20131313161403794232", *M))
case("marker date feb 30", hdr(TWO), vmrk=mrk("Mk1=New Segment,,1,1,0,20130230161403794232", *M))
case("marker date second 60", hdr(TWO), vmrk=mrk("Mk1=New Segment,,1,1,0,20130228235960000000", *M))
case("marker date year 1", hdr(TWO), vmrk=mrk("Mk1=New Segment,,1,1,0,00010101000000000001", *M))
case("marker second new segment date", hdr(TWO), vmrk=mrk("Mk1=New Segment,,1,1,0,0", M[0],
                                                          "Mk5=New Segment,x,4,1,0,20200101120000000000"))
case("marker date after extra fields", hdr(TWO), vmrk=mrk("Mk1=New Segment,,1,1,1,1,0,20131113161403794232", *M))
case("marker five-field date only", hdr(TWO), vmrk=mrk("Mk1=New Segment,,1,1,20131113161403794232", *M))
case("marker five-field date shifts", hdr(TWO), vmrk=mrk(
    NS, "Mk2=New Segment,,3,1,20131113161403794230", *M))
case("marker five-field date empty", hdr(TWO), vmrk=mrk(NS, "Mk2=New Segment,,3,1,", *M))
case("markers crlf", hdr(TWO), vmrk=mrk("Mk1=S,x,2,3", "Mk2=S,y,3,3,0").replace("\n", "\r\n"))
case("markers cr only", hdr(TWO), vmrk=mrk(NS, "Mk2=S,y,3,3,0").replace("\n", "\r"))
case("no marker infos", hdr(TWO), vmrk=MMAGIC + "\n\n[Common Infos]\nDataFile=x.eeg\n")
case("marker infos bracket only", hdr(TWO), vmrk=MMAGIC + "\n[Marker Infos][x]\n")
case("markers after other section", hdr(TWO), vmrk=mrk(NS) + "[Marker User Infos]\nMk9=S,late,4,1,0\n")
case("marker infos case", hdr(TWO), vmrk=mrk(NS, *M).replace("[Marker Infos]", "[marker INFOS]"))
case("marker colon", hdr(TWO), vmrk=mrk(NS, "Mk2=S,a{COLON}b,2,1,0"))
case("marker trailing nul", hdr(TWO), vmrk=mrk(NS, "Mk2=S\x00,b\x00,2,1,0"))
case("marker three fields", hdr(TWO), vmrk=mrk(NS, "Mk2=S,b,2"))
case("marker bad position", hdr(TWO), vmrk=mrk(NS, "Mk2=S,b,two,1"))
case("marker empty position", hdr(TWO), vmrk=mrk(NS, "Mk2=S,b,,1"))
case("marker huge position", hdr(TWO), vmrk=mrk(NS, "Mk2=S,b,99999999999999999999,1"))
case("marker far position", hdr(TWO), vmrk=mrk(NS, "Mk2=S,b,-99999999999999,1"))
case("marker number forms", hdr(TWO), vmrk=mrk(NS, "Mk2=S,x, +3_0 ,1,0", "Mk3=S,y,2, 1,0", "Mk4=S,z,3,+1,0",
                                               "Mk5=S,u,3,\u0663,0", "Mk6=S,v,\u0663,1,0"))
case("marker superscript length", hdr(TWO), vmrk=mrk(NS, "Mk2=S,x,5,\u00b2,0"))
case("marker channel field", hdr(TWO), vmrk=mrk(NS, "Mk2=S,x,5,1,abc", "Mk3=S,y,6,1,3,junk"))
case("markers latin-1 codepage ascii", hdr(TWO),
     vmrk=mrk(NS, *M, head="[Common Infos]\nCodepage=Latin-1"))
case("markers unknown codepage", hdr(TWO), vmrk=mrk(NS, head="Codepage=klingon"))
# MNE reads the marker file a second time in the locale's encoding, and on
# a UTF-8 system fails on Latin-1 text; bcikit decodes it once, falling back
# to Latin-1 as MNE's own marker parser does. The reference is MNE run as
# on a Latin-1 system.
case("markers latin-1 text", hdr(TWO), vmrk=mrk(NS, "Mk2=S,\u00e9t\u00e9,2,1,0").encode("latin-1"),
     latin1_locale=True)
case("markers utf-8 text", hdr(TWO), vmrk=mrk(NS, "Mk2=S,\u00e9t\u00e9 \u4e2d,2,1,0"))
case("missing vmrk", hdr(TWO).replace("x.vmrk", "y.vmrk"))
case("missing eeg", hdr(TWO).replace("x.eeg", "y.eeg"))
case("data in subdirectory", hdr(TWO).replace("DataFile=x.eeg", "DataFile=sub/x.eeg"), eeg=b"",
     extra={"sub/x.eeg": RAMP})


def _latin1_open(file, mode="r", *args, **kwargs):
    if "b" not in mode:
        kwargs.setdefault("encoding", "latin-1")
    return open(file, mode, *args, **kwargs)


def run(c):
    bv = mne.io.brainvision.brainvision
    if c["latin1_locale"]:
        bv.open = _latin1_open
    elif hasattr(bv, "open"):
        del bv.open
    d = tempfile.mkdtemp()
    for fn, content in c["files"].items():
        p = os.path.join(d, fn)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(content.encode("utf-8") if isinstance(content, str) else content)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            raw = mne.io.read_raw_brainvision(os.path.join(d, "x.vhdr"), preload=True)
    except Exception as e:  # noqa: BLE001 -- any failure is the reference outcome
        return {"error": "%s: %s" % (type(e).__name__, (str(e).splitlines() or [""])[0][:200])}
    md = raw.info["meas_date"]
    return {
        "ch_names": raw.ch_names,
        "ch_types": raw.get_channel_types(),
        "units": [UNITS[int(ch["unit"])] for ch in raw.info["chs"]],
        "sfreq": raw.info["sfreq"],
        "meas_date": None if md is None else "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ" % (
            md.year, md.month, md.day, md.hour, md.minute, md.second, md.microsecond),
        "annotations": [[float(a["onset"]), float(a["duration"]), str(a["description"])]
                        for a in raw.annotations],
        "data": raw.get_data().tolist(),
    }


def encode(content):
    """A file for the JSON: "t:" and its text when it is printable UTF-8, else "h:" and hex."""
    b = content.encode("utf-8") if isinstance(content, str) else content
    try:
        t = b.decode("utf-8")
    except UnicodeDecodeError:
        return "h:" + b.hex()
    if any(ord(ch) < 32 and ch not in "\r\n\t" for ch in t):
        return "h:" + b.hex()
    return "t:" + t


def main():
    mne.set_log_level("ERROR")
    out = []
    for c in CASES:
        mne_result = run(c)
        files = {fn: encode(v) for fn, v in c["files"].items()}
        out.append({"name": c["name"], "files": files, "deviation": c["deviation"], "mne": mne_result})
        print("%-45s %s" % (c["name"], mne_result.get("error", "ok")))
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=None, separators=(",", ":"), ensure_ascii=False)


if __name__ == "__main__":
    main()
