#!/usr/bin/env python3
"""Reference timing: one meta-training episode of PLASTICITY.md in PyTorch autograd (float32, one thread).

The inner loop is written the straightforward autograd way (as the authors' code does): every online update of
W keeps its graph, and loss.backward() differentiates through all M*K steps. Prints the median seconds per
episode (inner loop + backward + Adam step). Used by BENCHMARKS.md to compare speed in one run.

usage: /usr/bin/python3 ops/bench/torch_reference.py --rule fa|bio|pool [--episodes 3]
"""
import argparse
import statistics
import time

import torch

DIMS = [784, 170, 130, 100, 70, 47]
RULES = {"fa": [0], "bio": [0, 2, 9], "pool": list(range(10))}


def episode(theta, active, gen, beta=10.0, k=50, q=10, m=5):
    sp = torch.nn.Softplus(beta=beta)
    ws, bs = [], []
    for i in range(len(DIMS) - 1):
        a = (6.0 / (DIMS[i] + DIMS[i + 1])) ** 0.5
        ws.append((torch.rand(DIMS[i + 1], DIMS[i], generator=gen) * 2 - 1) * a)
        bs.append((torch.rand(DIMS[i + 1], DIMS[i], generator=gen) * 2 - 1) * a)
    x = (torch.rand(m * k, DIMS[0], generator=gen) < 0.2).float() * torch.rand(m * k, DIMS[0], generator=gen)
    y = torch.arange(m * k) % m
    xq = (torch.rand(m * q, DIMS[0], generator=gen) < 0.2).float() * torch.rand(m * q, DIMS[0], generator=gen)
    yq = torch.arange(m * q) % m
    layers = len(ws)
    for s in range(m * k):
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
    return torch.nn.functional.cross_entropy(h, yq)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rule", default="bio", choices=sorted(RULES))
    ap.add_argument("--episodes", type=int, default=3)
    args = ap.parse_args()
    torch.set_num_threads(1)
    theta = torch.zeros(10)
    theta[0] = 1e-3
    theta.requires_grad_(True)
    opt = torch.optim.Adam([theta], lr=1e-3)
    gen = torch.Generator().manual_seed(1)
    times = []
    for _ in range(args.episodes + 1):
        t0 = time.perf_counter()
        loss = episode(theta, RULES[args.rule], gen)
        opt.zero_grad()
        loss.backward()
        opt.step()
        times.append(time.perf_counter() - t0)
    med = statistics.median(times[1:])
    print(f"rule={args.rule} torch={torch.__version__} threads=1 episodes={args.episodes} median_s={med:.3f}")


if __name__ == "__main__":
    main()
