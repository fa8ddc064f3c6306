#!/usr/bin/env python3
"""hub_circles.py - no import circle among the hub's source files.

Reads the symbol tables (nm) of the hub's object files in BUILD/obj/sync/hub:
file A depends on file B when A uses a function or variable B defines. Prints
"ok - ..." when that graph has no cycle, else "not ok - ..." with each circle
(a strongly connected component of more than one file). Exits 1 on a circle.
Usage: hub_circles.py BUILD_DIR   (run from the top of the tree)
"""
import os
import subprocess
import sys


def objects(build):
    root = os.path.join(build, "obj", "sync", "hub")
    for dirpath, _, files in os.walk(root):
        for f in files:
            if f.endswith(".o"):
                yield os.path.join(dirpath, f)


def graph(build):
    defs, uses = {}, {}
    for o in objects(build):
        name = os.path.relpath(o, os.path.join(build, "obj"))[:-2] + ".c"
        if not os.path.exists(name):
            continue   # left over from a file that moved or went away
        out = subprocess.run(["nm", o], capture_output=True, text=True, check=True).stdout
        uses[name] = set()
        for line in out.splitlines():
            p = line.split()
            if len(p) == 3 and p[1] in "TDBR":
                defs[p[2]] = name
            elif len(p) == 2 and p[0] == "U":
                uses[name].add(p[1])
    return {n: {defs[s] for s in u if s in defs and defs[s] != n} for n, u in uses.items()}


def circles(g):
    """Tarjan's strongly connected components, iteratively."""
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = 0
    for root in g:
        if root in index:
            continue
        work = [(root, iter(sorted(g[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(g[w]))))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    out.append(sorted(comp))
    return out


def main():
    g = graph(sys.argv[1])
    if not g:
        print("not ok - hub_circles: no hub objects under %s/obj" % sys.argv[1])
        return 1
    found = circles(g)
    if found:
        print("not ok - the hub's %d source files depend on each other in circles" % len(g))
        for c in found:
            print("#   circle: " + " <-> ".join(c))
        return 1
    print("ok - no import circle among the hub's %d source files" % len(g))
    return 0


if __name__ == "__main__":
    sys.exit(main())
