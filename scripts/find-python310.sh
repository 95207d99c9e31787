#!/usr/bin/env bash
# Print the path of a Python 3.10 interpreter (Rasa 3.6 supports nothing newer), or explain.
set -u
ok() { "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1; }
if command -v python3.10 >/dev/null 2>&1 && ok python3.10; then command -v python3.10; exit 0; fi
if command -v pyenv >/dev/null 2>&1; then
  prefix=$(pyenv prefix 3.10 2>/dev/null | head -n1)
  if [ -n "$prefix" ] && ok "$prefix/bin/python3.10"; then echo "$prefix/bin/python3.10"; exit 0; fi
fi
if command -v uv >/dev/null 2>&1; then
  found=$(uv python find 3.10 2>/dev/null)
  if [ -n "$found" ] && ok "$found"; then echo "$found"; exit 0; fi
fi
cat >&2 <<'MSG'
Python 3.10 was not found, and the bot needs it (Rasa Open Source 3.6 supports Python 3.8-3.10 only).
Install one of these, then run the command again:
  pyenv install 3.10        (then `pyenv prefix 3.10` finds it)
  uv python install 3.10
  or your system's python3.10 package, so that `python3.10` is on PATH.
MSG
exit 1
