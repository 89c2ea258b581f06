"""Sums up the Chrome traces that TrainingSpeedBenchmark --profile writes, side by side.

usage: bench_profile.py STEPS OURS_TRACE PYTORCH_TRACE [TOP]
Prints, per operator, self time (time not spent in nested operators) in ms per step and
calls per step for our trainer and for PyTorch eager, largest differences first.
"""

import json
import sys
from collections import defaultdict


def self_times(path):
    with open(path) as f:
        text = f.read().rstrip().rstrip(",")
    events = json.loads(text if text.endswith("]") else text + "]")
    by_thread = defaultdict(list)
    for event in events:
        if event.get("ph") == "X":
            by_thread[event.get("tid")].append((float(event["ts"]), float(event["dur"]), event["name"]))
    totals = defaultdict(float)
    calls = defaultdict(int)
    for spans in by_thread.values():
        spans.sort(key=lambda s: (s[0], -s[1]))
        stack = []  # [end, name, self]
        for start, duration, name in spans:
            while stack and stack[-1][0] <= start:
                end, done, own = stack.pop()
                totals[done] += own
            if stack:
                stack[-1][2] -= duration
            stack.append([start + duration, name, duration])
            calls[name] += 1
        while stack:
            end, done, own = stack.pop()
            totals[done] += own
    return totals, calls


def main(steps, ours_path, torch_path, top):
    ours, ours_calls = self_times(ours_path)
    torch, torch_calls = self_times(torch_path)
    names = sorted(set(ours) | set(torch), key=lambda n: -abs(ours.get(n, 0) - torch.get(n, 0)))
    print("%-44s %12s %12s %10s %12s %12s" % ("operator (self time)", "ours ms/st", "torch ms/st", "diff", "ours calls", "torch calls"))
    for name in names[:top]:
        print("%-44s %12.2f %12.2f %+10.2f %12.1f %12.1f" % (
            name[:44], ours.get(name, 0) / 1000 / steps, torch.get(name, 0) / 1000 / steps,
            (ours.get(name, 0) - torch.get(name, 0)) / 1000 / steps,
            ours_calls.get(name, 0) / steps, torch_calls.get(name, 0) / steps))
    print("%-44s %12.2f %12.2f %+10.2f %12.1f %12.1f" % (
        "all operators", sum(ours.values()) / 1000 / steps, sum(torch.values()) / 1000 / steps,
        (sum(ours.values()) - sum(torch.values())) / 1000 / steps,
        sum(ours_calls.values()) / steps, sum(torch_calls.values()) / steps))


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 30)
