"""Speed of the exact exported graph against a plain float graph of the same shape, side by side in one run.

    OMP_NUM_THREADS=1 python bench/onnx_export.py [models/<name>] [--kind mu2|kl|rz] [--hgq]

Both graphs run in ONNX Runtime with one intra-op thread on the same refstream-v1 events. The plain graph is
57 -> hidden -> latent MatMul + Add + Relu with the model's float weights and no preprocessing, quantizers, score
or guard: the floor for any graph of this shape. ``--hgq`` adds HGQ2's own ONNX export (slow to build and run).
Times are the best of interleaved rounds (the machine is shared), per event; the ratio is exact / plain.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "torch")

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

from adtrigger.refdata import refstream_dir

REFSTREAM = refstream_dir()
BATCHES = (1, 1024, 4096, 16384)


def plain_graph(weights: list[tuple[np.ndarray, np.ndarray]]) -> onnx.ModelProto:
    """MatMul + Add (+ Relu between layers) of float32 weights: (N, 57) -> (N, latent)."""
    nodes, inits, cur = [], [], "x"
    for i, (w, b) in enumerate(weights):
        inits += [
            numpy_helper.from_array(w.astype(np.float32), f"w{i}"),
            numpy_helper.from_array(b.astype(np.float32), f"b{i}"),
        ]
        nodes += [
            helper.make_node("MatMul", [cur, f"w{i}"], [f"m{i}"]),
            helper.make_node("Add", [f"m{i}", f"b{i}"], [f"a{i}"]),
        ]
        cur = f"a{i}"
        if i < len(weights) - 1:
            nodes.append(helper.make_node("Relu", [cur], [f"r{i}"]))
            cur = f"r{i}"
    n_in, n_out = weights[0][0].shape[0], weights[-1][0].shape[1]
    graph = helper.make_graph(
        nodes, "plain", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", n_in])],
        [helper.make_tensor_value_info(cur, TensorProto.FLOAT, ["N", n_out])], inits,
    )  # fmt: skip
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)])
    model.ir_version = 9
    return model


def session(model: onnx.ModelProto | bytes) -> ort.InferenceSession:
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    data = model if isinstance(model, bytes) else model.SerializeToString()
    return ort.InferenceSession(data, sess_options=opts, providers=["CPUExecutionProvider"])


def best_times(sessions: dict[str, ort.InferenceSession], x: np.ndarray, rounds: int = 7) -> dict[str, float]:
    """Best seconds per run of each session, rounds interleaved so that load on the machine hits all alike."""
    feeds = {k: {s.get_inputs()[0].name: x} for k, s in sessions.items()}
    reps = max(5, int(3e5 // len(x)))
    best = dict.fromkeys(sessions, float("inf"))
    for name, s in sessions.items():
        s.run(None, feeds[name])
    for _ in range(rounds):
        for name, s in sessions.items():
            t = time.perf_counter()
            for _ in range(reps):
                s.run(None, feeds[name])
            best[name] = min(best[name], (time.perf_counter() - t) / reps)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model_dir", nargs="?", default="models/l1_vae_refstream")
    ap.add_argument("--kind", default=None, help="score kind (default: the model's record)")
    ap.add_argument("--hgq", action="store_true", help="also time HGQ2's own ONNX export of the encoder")
    args = ap.parse_args()

    from keras import ops

    from adtrigger.training.export_onnx import build_onnx, score_kind_of
    from adtrigger.training.stream.io import read_events
    from adtrigger.training.vae import encoder_model, load_model

    model = load_model(args.model_dir)
    kind = args.kind or score_kind_of(Path(args.model_dir))
    exact = build_onnx(model, kind)
    names = [f"enc_{i}" for i in range(8) if any(layer.name == f"enc_{i}" for layer in model.layers)] + ["mu"]
    weights = [
        tuple(ops.convert_to_numpy(v) for v in (model.get_layer(n).kernel, model.get_layer(n).bias)) for n in names
    ]
    sessions = {"plain": session(plain_graph(weights)), "exact": session(exact)}
    if args.hgq:
        with tempfile.TemporaryDirectory() as tmp:
            enc = encoder_model(model)
            enc.predict(np.zeros((2, enc.input_shape[-1]), np.float32), verbose=0)  # keras exports called models
            path = Path(tmp) / "hgq.onnx"
            enc.export(str(path), format="onnx")
            sessions["hgq2"] = session(path.read_bytes())
    x_all = np.concatenate([read_events(REFSTREAM / f"{p}.h5").flat for p in ("W_lnu", "QCD", "Z_ll", "ttbar")])
    print(f"{args.model_dir} score {kind}: {len(exact.graph.node)} nodes exact, ORT {ort.__version__}, 1 thread")
    print(
        "batch  "
        + "  ".join(f"{k:>12}" for k in sessions)
        + "   ratio exact/plain"
        + ("  hgq2/plain" if args.hgq else "")
    )
    for batch in BATCHES:
        x = np.ascontiguousarray(x_all[:batch])
        t = best_times(sessions, x)
        cells = "  ".join(f"{t[k] / batch * 1e9:9.1f} ns" for k in sessions)
        extra = f"  {t['hgq2'] / t['plain']:10.2f}x" if args.hgq else ""
        print(f"{batch:>5}  {cells}   {t['exact'] / t['plain']:17.2f}x{extra}")


if __name__ == "__main__":
    main()
