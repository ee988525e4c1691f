#!/usr/bin/python3
"""Writes the NIR graphs nirimport's tests read (nirimport/testdata), with
Debian's python3-h5py, in the two layouts NIR's `write` has produced:
uncompressed contiguous datasets (NIR 0.x files seen in the wild) and gzip-
compressed chunked datasets (NIR 1.x). Run on purpose:

    /usr/bin/python3 scripts/nir-fixtures.py

Next to each graph, <name>.json records what a test needs to check the
lowering independently: for linear chains, an input vector and the output
the chain must produce (convolutions computed here by explicit loops, the
PyTorch way).
"""
import json
import os

import h5py
import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "nirimport", "testdata")
rng = np.random.default_rng(11)


def write(path, nodes, edges, version="1.0.0", gzip=True, libver="earliest"):
    """nodes: name -> dict of parameters (with "type"); a dict value with
    "nodes" is a subgraph."""
    def put(g, params):
        for k, v in params.items():
            if k == "nodes":
                ng = g.create_group("nodes")
                for name, sub in v.items():
                    put(ng.create_group(name), sub)
            elif k == "edges":
                g.create_dataset("edges", data=np.array(v, dtype=object).reshape(-1, 2), dtype=h5py.string_dtype())
            elif isinstance(v, str):
                g.create_dataset(k, data=v, dtype=h5py.string_dtype())
            elif isinstance(v, np.ndarray) and gzip:
                g.create_dataset(k, data=v, compression="gzip")
            else:
                g.create_dataset(k, data=v)
    with h5py.File(path, "w", libver=libver) as f:
        f.create_dataset("version", data=version, dtype=h5py.string_dtype())
        put(f.create_group("node"), {"type": "NIRGraph", "nodes": nodes, "edges": edges})


def conv2d(x, w, b, stride, pad, dil, groups):
    cin, h, wd = x.shape
    cout, cin_g, kh, kw = w.shape
    oh = (h + 2 * pad[0] - dil[0] * (kh - 1) - 1) // stride[0] + 1
    ow = (wd + 2 * pad[1] - dil[1] * (kw - 1) - 1) // stride[1] + 1
    xp = np.zeros((cin, h + 2 * pad[0], wd + 2 * pad[1]))
    xp[:, pad[0]:pad[0] + h, pad[1]:pad[1] + wd] = x
    y = np.zeros((cout, oh, ow))
    per = cout // groups
    for co in range(cout):
        gi = co // per
        for oy in range(oh):
            for ox in range(ow):
                s = b[co]
                for cl in range(cin_g):
                    ci = gi * cin_g + cl
                    for ky in range(kh):
                        for kx in range(kw):
                            s += w[co, cl, ky, kx] * xp[ci, oy * stride[0] + ky * dil[0], ox * stride[1] + kx * dil[1]]
                y[co, oy, ox] = s
    return y


def pool(x, k, stride, pad, avg):
    c, h, wd = x.shape
    xp = np.zeros((c, h + 2 * pad[0], wd + 2 * pad[1]))
    xp[:, pad[0]:pad[0] + h, pad[1]:pad[1] + wd] = x
    oh = (h + 2 * pad[0] - k[0]) // stride[0] + 1
    ow = (wd + 2 * pad[1] - k[1]) // stride[1] + 1
    y = np.zeros((c, oh, ow))
    for ch in range(c):
        for oy in range(oh):
            for ox in range(ow):
                s = xp[ch, oy * stride[0]:oy * stride[0] + k[0], ox * stride[1]:ox * stride[1] + k[1]].sum()
                y[ch, oy, ox] = s / (k[0] * k[1]) if avg else s
    return y


def lif(n, tau=0.01, thr=1.0, leak=0.0, reset=None):
    d = {"type": "LIF", "tau": np.full(n, tau), "r": np.ones(n), "v_leak": np.full(n, leak), "v_threshold": np.full(n, thr)}
    if reset is not None:
        d["v_reset"] = np.full(n, reset)
    return d


def main():
    os.makedirs(OUT, exist_ok=True)
    expect = {}

    # 1. One LIF neuron driven by a spike train (the NIR paper's test).
    write(os.path.join(OUT, "lif1.nir"), {
        "input": {"type": "Input", "shape": np.array([1])},
        "weight": {"type": "Affine", "weight": np.array([[6.0]]), "bias": np.array([0.0])},
        "lif": lif(1, tau=0.002, thr=1.0),
        "output": {"type": "Output", "shape": np.array([1])},
    }, [("input", "weight"), ("weight", "lif"), ("lif", "output")], version="0.2.0", gzip=False)

    # 2. A recurrent CubaLIF network of 60 neurons (libver latest layout).
    n_in, n = 12, 60
    w_in = rng.normal(0, 0.6, (n, n_in))
    w_rec = rng.normal(0, 0.08, (n, n)) * (rng.random((n, n)) < 0.3)
    write(os.path.join(OUT, "cuba60.nir"), {
        "input": {"type": "Input", "shape": np.array([n_in])},
        "fc_in": {"type": "Linear", "weight": w_in},
        "rec": {"type": "Linear", "weight": w_rec},
        "cuba": {"type": "CubaLIF", "tau_mem": np.full(n, 0.02), "tau_syn": np.full(n, 0.005), "r": np.ones(n),
                 "v_leak": np.zeros(n), "v_threshold": np.full(n, 0.5), "v_reset": np.zeros(n), "w_in": np.ones(n)},
        "output": {"type": "Output", "shape": np.array([n])},
    }, [("input", "fc_in"), ("fc_in", "cuba"), ("cuba", "rec"), ("rec", "cuba"), ("cuba", "output")], libver="latest")

    # 3. Conv2d + pooling: (2, 12, 12) -> conv 4x3x3 pad 1 -> IF -> sumpool 2 -> flatten -> affine 10 -> LI
    x_shape = (2, 12, 12)
    wc = rng.normal(0, 0.5, (4, 2, 3, 3))
    bc = rng.normal(0, 0.05, 4)
    wf = rng.normal(0, 0.3, (10, 4 * 6 * 6))
    bf = rng.normal(0, 0.02, 10)
    write(os.path.join(OUT, "conv.nir"), {
        "input": {"type": "Input", "shape": np.array(x_shape)},
        "conv": {"type": "Conv2d", "weight": wc, "bias": bc, "stride": np.array([1, 1]), "padding": np.array([1, 1]),
                 "dilation": np.array([1, 1]), "groups": 1, "input_shape": np.array([12, 12])},
        "if1": {"type": "IF", "r": np.full((4, 12, 12), 1000.0), "v_threshold": np.ones((4, 12, 12)), "v_reset": np.zeros((4, 12, 12))},
        "pool": {"type": "SumPool2d", "kernel_size": np.array([2, 2]), "stride": np.array([2, 2]), "padding": np.array([0, 0])},
        "flat": {"type": "Flatten", "start_dim": 0, "end_dim": -1, "input_type": np.array([4, 6, 6])},
        "fc": {"type": "Affine", "weight": wf, "bias": bf},
        "li": {"type": "LI", "tau": np.full(10, 0.005), "r": np.ones(10), "v_leak": np.zeros(10)},
        "output": {"type": "Output", "shape": np.array([10])},
    }, [("input", "conv"), ("conv", "if1"), ("if1", "pool"), ("pool", "flat"), ("flat", "fc"), ("fc", "li"), ("li", "output")])

    # 4. Linear chains checked against loops written here: each graph maps an
    # Input straight to an Output through linear nodes (the importer adds a
    # readout population), and the json holds x and the expected y.
    chains = {
        "conv_strided": (
            (3, 9, 11),
            {"c": {"type": "Conv2d", "weight": rng.normal(0, 1, (4, 3, 3, 2)), "bias": rng.normal(0, 1, 4),
                   "stride": np.array([2, 3]), "padding": np.array([1, 2]), "dilation": np.array([1, 1]), "groups": 1}},
            lambda x, p: conv2d(x, p["c"]["weight"], p["c"]["bias"], (2, 3), (1, 2), (1, 1), 1)),
        "conv_dilated_groups": (
            (4, 10, 10),
            {"c": {"type": "Conv2d", "weight": rng.normal(0, 1, (6, 2, 3, 3)), "bias": rng.normal(0, 1, 6),
                   "stride": np.array([1, 1]), "padding": np.array([2, 2]), "dilation": np.array([2, 2]), "groups": 2}},
            lambda x, p: conv2d(x, p["c"]["weight"], p["c"]["bias"], (1, 1), (2, 2), (2, 2), 2)),
        "conv1d": (
            (2, 15),
            {"c": {"type": "Conv1d", "weight": rng.normal(0, 1, (3, 2, 4)), "bias": rng.normal(0, 1, 3),
                   "stride": 2, "padding": 1, "dilation": 2, "groups": 1, "input_shape": 15}},
            lambda x, p: conv2d(x.reshape(2, 1, 15), p["c"]["weight"].reshape(3, 2, 1, 4), p["c"]["bias"], (1, 2), (0, 1), (1, 2), 1).reshape(3, -1)),
        "avgpool_scale_affine": (
            (2, 6, 6),
            {"p": {"type": "AvgPool2d", "kernel_size": np.array([3, 3]), "stride": np.array([3, 3]), "padding": np.array([0, 0])},
             "f": {"type": "Flatten", "start_dim": 0, "end_dim": -1},
             "s": {"type": "Scale", "scale": np.linspace(-1, 1, 8)},
             "a": {"type": "Affine", "weight": rng.normal(0, 1, (5, 8)), "bias": rng.normal(0, 1, 5)}},
            lambda x, p: p["a"]["weight"] @ (pool(x, (3, 3), (3, 3), (0, 0), True).reshape(-1) * p["s"]["scale"]) + p["a"]["bias"]),
    }
    for name, (shape, layers, fn) in chains.items():
        x = rng.normal(0, 1, shape)
        y = fn(x, layers)
        order = list(layers)
        nodes = {"input": {"type": "Input", "shape": np.array(shape)}, **layers,
                 "output": {"type": "Output", "shape": np.array(y.shape)}}
        names = ["input"] + order + ["output"]
        write(os.path.join(OUT, name + ".nir"), nodes, list(zip(names[:-1], names[1:])))
        expect[name] = {"x": x.reshape(-1).tolist(), "y": y.reshape(-1).tolist()}

    # 5. Every other type, a nested subgraph and an old file without v_reset.
    sub = {"type": "NIRGraph",
           "nodes": {"in": {"type": "Input", "shape": np.array([4])},
                     "lin": {"type": "Linear", "weight": np.eye(4) * 2},
                     "thr": {"type": "Threshold", "threshold": np.full(4, 0.5)},
                     "out": {"type": "Output", "shape": np.array([4])}},
           "edges": [("in", "lin"), ("lin", "thr"), ("thr", "out")]}
    write(os.path.join(OUT, "zoo.nir"), {
        "input": {"type": "Input", "shape": np.array([4])},
        "scale": {"type": "Scale", "scale": np.array([1.0, 2.0, 3.0, 4.0])},
        "delay": {"type": "Delay", "delay": np.zeros(4)},
        "sub": sub,
        "lif_old": {"type": "LIF", "tau": np.full(4, 0.01), "r": np.ones(4), "v_leak": np.zeros(4), "v_threshold": np.ones(4)},
        "li": {"type": "LI", "tau": np.full(4, 0.01), "r": np.ones(4), "v_leak": np.zeros(4)},
        "integ": {"type": "I", "r": np.ones(4)},
        "cubali": {"type": "CubaLI", "tau_mem": np.full(4, 0.01), "tau_syn": np.full(4, 0.002), "r": np.ones(4),
                   "v_leak": np.zeros(4), "w_in": np.ones(4)},
        "mixed": {"type": "LIF", "tau": np.array([0.01, 0.01, 0.02, 0.02]), "r": np.ones(4), "v_leak": np.zeros(4),
                  "v_threshold": np.array([1.0, 1.0, 1.0, 2.0])},
        "output": {"type": "Output", "shape": np.array([4])},
    }, [("input", "scale"), ("scale", "delay"), ("delay", "sub"), ("sub", "lif_old"), ("sub.thr", "li"),
        ("lif_old", "integ"), ("lif_old", "cubali"), ("lif_old", "mixed"), ("mixed", "output")], version="0.1.1", gzip=False)

    # 6. Bad graphs: each must fail with one clear error.
    bad = {
        "bad_type": ({"input": {"type": "Input", "shape": np.array([2])}, "x": {"type": "Spiral"}}, [("input", "x")]),
        "bad_shape": ({"input": {"type": "Input", "shape": np.array([3])},
                       "a": {"type": "Affine", "weight": np.ones((2, 4)), "bias": np.zeros(2)},
                       "l": lif(2)}, [("input", "a"), ("a", "l")]),
        "bad_missing": ({"input": {"type": "Input", "shape": np.array([2])},
                         "l": {"type": "LIF", "tau": np.full(2, 0.01), "r": np.ones(2), "v_leak": np.zeros(2)}},
                        [("input", "l")]),
        "bad_edge": ({"input": {"type": "Input", "shape": np.array([2])}, "l": lif(2)}, [("input", "nowhere")]),
        "bad_delay": ({"input": {"type": "Input", "shape": np.array([2])}, "d": {"type": "Delay", "delay": np.full(2, 0.005)},
                       "l": lif(2)}, [("input", "d"), ("d", "l")]),
        "bad_loop": ({"input": {"type": "Input", "shape": np.array([2])}, "a": {"type": "Linear", "weight": np.eye(2)},
                      "b": {"type": "Linear", "weight": np.eye(2)}, "l": lif(2)},
                     [("input", "a"), ("a", "b"), ("b", "a"), ("b", "l")]),
    }
    for name, (nodes, edges) in bad.items():
        write(os.path.join(OUT, name + ".nir"), nodes, edges, gzip=False)

    with open(os.path.join(OUT, "expect.json"), "w") as f:
        json.dump(expect, f)
        f.write("\n")


if __name__ == "__main__":
    main()
