#!/usr/bin/env python3
"""Reference timing: one meta-training episode of PLASTICITY.md in PyTorch autograd (float32, one thread).

The inner loop is written the straightforward autograd way (as the authors' code does): every online update of
W keeps its graph, and loss.backward() differentiates through all M*K steps. Prints the median seconds per
episode (inner loop + backward + Adam step). Used by BENCHMARKS.md to compare speed in one run.

usage: /usr/bin/python3 ops/bench/torch_reference.py --rule fa|bio|pool [--episodes 3]
       /usr/bin/python3 ops/bench/torch_reference.py --rule bio --meta-train 300 --seed 1
           (meta-trains on Fashion-MNIST with the authors' protocol: t10k, first 400 images per class, classes
            drawn with replacement, a class's first 50/next 10 images; prints one line per episode and stops at
            the first non-finite loss, as the Java trainer does)
"""
import argparse
import statistics
import time

import torch

DIMS = [784, 170, 130, 100, 70, 47]
RULES = {"fa": [0], "bio": [0, 2, 9], "pool": list(range(10))}


def synthetic_task(gen, k=50, q=10, m=5):
    x = (torch.rand(m * k, DIMS[0], generator=gen) < 0.2).float() * torch.rand(m * k, DIMS[0], generator=gen)
    y = torch.arange(m * k) % m
    xq = (torch.rand(m * q, DIMS[0], generator=gen) < 0.2).float() * torch.rand(m * q, DIMS[0], generator=gen)
    yq = torch.arange(m * q) % m
    return x, y, xq, yq


def fashion_authors(path="/usr/share/datasets/fashion-mnist"):
    """t10k images grouped by class, first 400 of each class in file order, as float tensors in [0, 1]."""
    import gzip
    import numpy as np
    with gzip.open(f"{path}/t10k-images-idx3-ubyte.gz") as f:
        img = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784)
    with gzip.open(f"{path}/t10k-labels-idx1-ubyte.gz") as f:
        lab = np.frombuffer(f.read(), np.uint8, offset=8)
    return [torch.tensor(img[lab == c][:400], dtype=torch.float32) / 255.0 for c in range(10)]


def authors_task(classes, gen, k=50, q=10, m=5):
    picks = torch.randint(0, len(classes), (m,), generator=gen).tolist()
    x = torch.cat([classes[c][:k] for c in picks])
    y = torch.tensor([c for c in picks for _ in range(k)])
    xq = torch.cat([classes[c][k:k + q] for c in picks])
    yq = torch.tensor([c for c in picks for _ in range(q)])
    perm = torch.randperm(m * k, generator=gen)
    return x[perm], y[perm], xq, yq


def episode(theta, active, gen, beta=10.0, task=None):
    sp = torch.nn.Softplus(beta=beta)
    ws, bs = [], []
    for i in range(len(DIMS) - 1):
        a = (6.0 / (DIMS[i] + DIMS[i + 1])) ** 0.5
        ws.append((torch.rand(DIMS[i + 1], DIMS[i], generator=gen) * 2 - 1) * a)
        bs.append((torch.rand(DIMS[i + 1], DIMS[i], generator=gen) * 2 - 1) * a)
    x, y, xq, yq = task if task is not None else synthetic_task(gen)
    layers = len(ws)
    for s in range(len(x)):
        act = [x[s]]
        zs = [None]
        for l in range(layers):
            z = ws[l] @ act[l]
            zs.append(z)
            act.append(sp(z) if l + 1 < layers else torch.softmax(z, 0))
        e = [None] * (layers + 1)
        e[layers] = act[layers] - torch.nn.functional.one_hot(y[s], DIMS[-1]).float()
        for l in range(layers, 0, -1):
            e[l - 1] = (bs[l - 1].T @ e[l]) * (1 - torch.exp(-beta * act[l - 1]))
        new = []
        for l in range(layers):
            w, pre, post, ep, eq = ws[l], act[l], act[l + 1], e[l + 1], e[l]
            terms = {
                0: lambda: -torch.outer(ep, pre),
                1: lambda: -torch.outer(post, eq),
                2: lambda: -torch.outer(ep, eq),
                3: lambda: -w,
                4: lambda: -torch.outer(torch.ones_like(post), eq),
                5: lambda: -post.sum() * torch.outer(ep, pre),
                6: lambda: -(post @ w @ eq) * torch.outer(post, eq),
                7: lambda: -(post @ w @ eq) * torch.outer(ep, pre),
                8: lambda: -(zs[l + 1] @ ep) * torch.outer(post, eq),
                9: lambda: torch.outer(post, pre) - torch.outer(post, w.T @ post),
            }
            upd = sum(theta[r] * terms[r]() for r in active)
            new.append(w + upd)
        ws = new
    h = xq
    for l in range(layers):
        h = h @ ws[l].T
        if l + 1 < layers:
            h = sp(h)
    acc = (h.argmax(1) == yq).float().mean().item()
    return torch.nn.functional.cross_entropy(h, yq), acc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rule", default="bio", choices=sorted(RULES))
    ap.add_argument("--episodes", type=int, default=3)
    ap.add_argument("--meta-train", type=int, default=0, help="episodes of meta-training on Fashion-MNIST")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(1)
    theta = torch.zeros(10)
    theta[0] = 1e-3
    theta.requires_grad_(True)
    opt = torch.optim.Adam([theta], lr=1e-3)
    gen = torch.Generator().manual_seed(args.seed)
    if args.meta_train:
        classes = fashion_authors()
        for ep in range(1, args.meta_train + 1):
            loss, acc = episode(theta, RULES[args.rule], gen, task=authors_task(classes, gen))
            if not torch.isfinite(loss):
                print(f"episode {ep} diverged: loss {loss.item()}", flush=True)
                return
            opt.zero_grad()
            loss.backward()
            opt.step()
            th = " ".join(f"{theta[r].item():+.5f}" for r in RULES[args.rule])
            print(f"episode {ep} loss {loss.item():.4f} accuracy {acc:.2f} theta {th}", flush=True)
        return
    times = []
    for _ in range(args.episodes + 1):
        t0 = time.perf_counter()
        loss, _ = episode(theta, RULES[args.rule], gen)
        opt.zero_grad()
        loss.backward()
        opt.step()
        times.append(time.perf_counter() - t0)
    med = statistics.median(times[1:])
    print(f"rule={args.rule} torch={torch.__version__} threads=1 episodes={args.episodes} median_s={med:.3f}")


if __name__ == "__main__":
    main()
