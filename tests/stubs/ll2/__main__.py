"""`python -m tests.stubs.ll2`: the LL2 stand-in as a process (see `server`)."""

import sys

from tests.stubs.ll2.server import main

main(sys.argv[1:])
