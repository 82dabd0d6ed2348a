"""A writer process for the concurrency and crash tests (not a test module).

usage: python _writer.py LEDGER PASSPHRASE_FILE COUNT TAG [EVIDENCE_BYTES]
Appends COUNT incidents, each in its own transaction, printing each id only
after its commit returned (so "reported as stored" means durable).
"""

import os
import sys

from gdprkit.ledger import Ledger
from gdprkit.model import EvidenceInput


def main() -> None:
    path, passfile, count, tag = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    ev_bytes = int(sys.argv[5]) if len(sys.argv) > 5 else 0
    with open(passfile, "rb") as fh:
        passphrase = fh.read().splitlines()[0]
    with Ledger.open(path, passphrase) as led:
        contact = led.add_contact(f"writer {tag}")
        print(contact.id, flush=True)
        for n in range(count):
            evidence = []
            if ev_bytes:
                evidence = [EvidenceInput(name=f"{tag}-{n}.bin", data=os.urandom(ev_bytes))]
            inc = led.log_incident("other", contact.id, note=f"{tag} #{n} " + "x" * 1000,
                                   evidence=evidence)
            print(inc.id, *(e.id for e in inc.evidence), flush=True)


if __name__ == "__main__":
    main()
