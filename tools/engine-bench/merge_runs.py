#!/usr/bin/env python3
"""Merges the tables of several engine-bench runs (files given as arguments): each cell becomes
the median CPU figure (with its range) / the median wall figure. Used for ENGINES.md."""
import sys, statistics
files = sys.argv[1:]
def parse(path):
    out = []; section=None; header=None; rows=[]
    for line in open(path):
        line=line.rstrip('\n')
        if line.startswith('## '):
            if section: out.append((section, header, rows))
            section=line; header=None; rows=[]
        elif line.startswith('|') and section:
            if header is None: header=line
            elif line.startswith('|---'): pass
            else: rows.append([c.strip() for c in line.strip('|').split('|')])
    if section: out.append((section, header, rows))
    return out
runs=[parse(f) for f in files]
for si,(section, header, rows) in enumerate(runs[0]):
    print(section); print(header); print('|---'*(header.count('|')-1)+'|')
    for ri,row in enumerate(rows):
        cells=[row[0]]
        for ci in range(1,len(row)):
            vals=[r[si][2][ri][ci] for r in runs]
            if not vals[0]: cells.append(''); continue
            cpu=[float(v.split('/')[0]) for v in vals]; wall=[float(v.split('/')[1]) for v in vals]
            fmt=lambda x: f"{x:,.1f}" if x<100 else f"{x:,.0f}"
            cells.append(f"{fmt(statistics.median(cpu))} ({fmt(min(cpu))}–{fmt(max(cpu))}) / {fmt(statistics.median(wall))}")
        print('| '+' | '.join(cells)+' |')
    print()
