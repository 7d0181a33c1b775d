#!/usr/bin/env python3
"""Resolves merge conflicts by keeping both sides (ours then theirs); in JSON, adds the comma between."""
import sys, re
for path in sys.argv[1:]:
    text = open(path).read()
    pat = re.compile(r'<<<<<<< [^\n]*\n(.*?)=======\n(.*?)>>>>>>> [^\n]*\n', re.S)
    def rep(m):
        ours, theirs = m.group(1), m.group(2)
        if path.endswith('.json'):
            o = ours.rstrip('\n')
            if not o.rstrip().endswith(',') and theirs.strip() and not theirs.strip().startswith('}'):
                o += ','
            return o + '\n' + theirs
        return ours + theirs
    text = pat.sub(rep, text)
    open(path, 'w').write(text)
