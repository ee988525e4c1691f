#!/usr/bin/python3
"""Writes the HDF5 fixtures of package hdf5 (hdf5/testdata) with Debian's
python3-h5py, together with what each file must contain (<name>.json).

Run on purpose, not by the test suite:  /usr/bin/python3 scripts/hdf5-fixtures.py
The .h5 files and their .json expectations are checked in; the Go tests compare
every element. Each file exercises a different set of HDF5 structures (see the
LAYOUTS comment below); `h5dump -H -p FILE` shows them.
"""
import json
import os
import sys

import h5py
import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "hdf5", "testdata")


def expect(obj):
    """JSON description of a dataset or attribute value."""
    a = np.asarray(obj)
    if a.dtype.kind in "OSU":
        vals = [v.decode() if isinstance(v, bytes) else str(v) for v in a.reshape(-1)]
        kind = "string"
    elif a.dtype.kind == "b":
        vals = [bool(v) for v in a.reshape(-1)]
        kind = "bool"
    elif a.dtype.kind == "f":
        vals = [float(v) for v in a.reshape(-1)]
        kind = "float"
    else:
        vals = [int(v) for v in a.reshape(-1)]
        kind = "int"
    return {"kind": kind, "shape": list(a.shape), "values": vals}


def describe(f):
    """Every dataset, group and attribute of an open file, as expectations."""
    out = {"datasets": {}, "groups": [], "attrs": {}}

    def attrs(path, o):
        for k, v in o.attrs.items():
            out["attrs"][path + "@" + k] = expect(v)

    attrs("/", f)

    def visit(name, o):
        path = "/" + name
        if isinstance(o, h5py.Dataset):
            v = o[()]
            if h5py.check_string_dtype(o.dtype) is not None:
                v = o.asstr()[()]
            out["datasets"][path] = expect(v)
        else:
            out["groups"].append(path)
        attrs(path, o)

    f.visititems(visit)
    return out


def common(f, chunked=None):
    """Datasets of every supported datatype; chunked: kwargs for create_dataset."""
    kw = chunked or {}
    f.create_dataset("f32", data=np.linspace(-1.5, 2.25, 10, dtype="<f4"), **kw)
    f.create_dataset("f64_2d", data=(np.arange(24, dtype="<f8").reshape(4, 6) * 0.1 - 1), **kw)
    f.create_dataset("f32_be", data=np.array([1.5, -2.0, 3.25e-3, 1e30], dtype=">f4"), **kw)
    f.create_dataset("f64_be", data=np.array([np.pi, -np.e, 0.0, -0.0, 1e-300], dtype=">f8"), **kw)
    for t in ["i1", "u1", "<i2", ">i2", "<u2", "<i4", ">i4", "<u4", ">u4", "<i8", ">i8", "<u8", ">u8"]:
        info = np.iinfo(np.dtype(t))
        vals = np.array([info.min, info.max, 0, 1, -1 if info.min < 0 else 2, 7], dtype=t)
        name = "int_" + t.replace("<", "le").replace(">", "be")
        f.create_dataset(name, data=vals, **kw)
    f.create_dataset("bools", data=np.array([True, False, False, True, True]), **kw)
    f.create_dataset("int3d", data=np.arange(2 * 3 * 4, dtype="<i8").reshape(2, 3, 4), **kw)
    vlen = h5py.string_dtype("utf-8")
    f.create_dataset("vstr_scalar", data="LIF", dtype=vlen)
    f.create_dataset("vstr_arr", data=np.array([["in", "lif1"], ["lif1", "out"], ["lif1", "lif1"]], dtype=object), dtype=vlen)
    f.create_dataset("vstr_unicode", data=np.array(["τ_mem", "", "x" * 300], dtype=object), dtype=vlen)
    f.create_dataset("fstr", data=np.array([b"ab", b"cdef", b""], dtype="S4"))
    f.create_dataset("scalar_f", data=np.float64(0.125))
    f.create_dataset("scalar_i", data=np.int64(-42))
    f.create_dataset("empty", data=np.zeros((0,), dtype="<f4"))
    f.attrs["a_float"] = np.float32(2.5)
    f.attrs["a_ints"] = np.array([1, 2, 3], dtype="<i4")
    f.attrs["a_str"] = "hello"
    f["f32"].attrs["unit"] = "s"
    g = f.create_group("nested/deeper")
    g.create_dataset("x", data=np.array([1.0, 2.0]), **kw)
    g.attrs["n"] = np.int16(7)
    big = f.create_group("many")
    for i in range(70):
        big.create_dataset("m%03d" % i, data=np.array([i], dtype="<i2"))


def chunked(f, kw):
    """Chunked datasets with partial edge chunks and many chunks."""
    f.create_dataset("ch_1d", data=np.arange(1000, dtype="<f4") * 0.5, chunks=(64,), **kw)
    f.create_dataset("ch_2d", data=np.arange(37 * 23, dtype="<i4").reshape(37, 23), chunks=(8, 5), **kw)
    f.create_dataset("ch_many", data=np.arange(2100, dtype="<i2"), chunks=(2,), **kw)
    f.create_dataset("ch_one", data=np.arange(10, dtype="<i8"), chunks=(10,), **kw)


# LAYOUTS: superblock / object header / group / storage each file exercises.
FILES = {
    # superblock 0, v1 object headers, symbol-table groups, contiguous storage
    "v0_contiguous": dict(libver="earliest", build=lambda f: common(f)),
    # superblock 0, chunked storage with v1 B-tree chunk index, filters
    "v0_chunked": dict(libver="earliest", build=lambda f: (
        common(f, dict(chunks=True)),
        chunked(f, dict(compression="gzip")),
        chunked(f.create_group("shuffle"), dict(compression="gzip", shuffle=True)),
        chunked(f.create_group("fletcher"), dict(fletcher32=True)),
        chunked(f.create_group("all"), dict(compression="gzip", compression_opts=9, shuffle=True, fletcher32=True)),
        chunked(f.create_group("plain"), {}),
    )),
    # superblock 0, compact storage (low-level API)
    "v0_compact": dict(libver="earliest", build=lambda f: compact(f)),
    # superblock 2 (libver v108): OHDR headers, link messages, fixed-array / single-chunk indexes
    "v2_links": dict(libver=("v108", "v108"), build=lambda f: (
        common(f),
        chunked(f.create_group("gz"), dict(compression="gzip", shuffle=True)),
    )),
    # superblock 3 (libver latest): as v2, plus dense groups (fractal heap + v2 B-tree)
    "v3_latest": dict(libver="latest", build=lambda f: (
        common(f, dict(chunks=True, compression="gzip")),
        chunked(f.create_group("gz"), dict(compression="gzip", shuffle=True, fletcher32=True)),
        chunked(f.create_group("plain"), {}),
        dense(f.create_group("dense")),
        implicit(f),
    )),
}

# Files the reader must refuse with a clear error (no .json): name -> builder.
REFUSED = {
    # a resizable chunked dataset under libver='latest': extensible-array index
    "v3_extensible": dict(libver="latest", build=lambda f: f.create_dataset(
        "grow", data=np.arange(10.0), maxshape=(None,), chunks=(4,))),
    # a soft link
    "v0_softlink": dict(libver="earliest", build=lambda f: (
        f.create_dataset("x", data=np.arange(3.0)), f.__setitem__("y", h5py.SoftLink("/x")))),
}


def compact(f):
    for name, arr in [("c_f32", np.arange(12, dtype="<f4").reshape(3, 4) / 4),
                      ("c_i16", np.array([-3, 9, 30000], dtype=">i2"))]:
        space = h5py.h5s.create_simple(arr.shape)
        plist = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
        plist.set_layout(h5py.h5d.COMPACT)
        tid = h5py.h5t.py_create(arr.dtype)
        dsid = h5py.h5d.create(f.id, name.encode(), tid, space, dcpl=plist)
        dsid.write(h5py.h5s.ALL, h5py.h5s.ALL, arr)


def implicit(f):
    """Chunked, unfiltered, allocated early: libver='latest' uses the implicit index."""
    arr = np.arange(40, dtype="<i4").reshape(8, 5)
    space = h5py.h5s.create_simple(arr.shape)
    plist = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    plist.set_chunk((3, 2))
    plist.set_alloc_time(h5py.h5d.ALLOC_TIME_EARLY)
    dsid = h5py.h5d.create(f.id, b"implicit", h5py.h5t.py_create(arr.dtype), space, dcpl=plist)
    dsid.write(h5py.h5s.ALL, h5py.h5s.ALL, arr)


def dense(g):
    # More links than the default compact maximum (8), and more than one
    # v2 B-tree leaf holds, so the name index has depth 1.
    for i in range(300):
        g.create_dataset("d%04d" % i, data=np.array([i, -i], dtype="<i4"))
    for i in range(20):
        g.attrs["attr%02d" % i] = np.float64(i) / 4
    g.attrs["label"] = "dense attributes"
    sub = g.create_group("sub")
    for i in range(12):
        sub.create_group("g%02d" % i)


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, spec in FILES.items():
        path = os.path.join(OUT, name + ".h5")
        with h5py.File(path, "w", libver=spec["libver"], track_order=False) as f:
            spec["build"](f)
        with h5py.File(path, "r") as f:
            d = describe(f)
        with open(os.path.join(OUT, name + ".json"), "w") as out:
            json.dump(d, out, indent=0, sort_keys=True)
            out.write("\n")
        print(path, os.path.getsize(path), "bytes", file=sys.stderr)
    for name, spec in REFUSED.items():
        with h5py.File(os.path.join(OUT, name + ".h5"), "w", libver=spec["libver"]) as f:
            spec["build"](f)


if __name__ == "__main__":
    main()
