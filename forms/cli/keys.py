"""`madoguchi keys …`: the office counter key pair and the signing key pairs of the QR payload.

Files (docs/qr-payload.md §7), in `--out DIR` or the default key folder
($MADOGUCHI_HOME/keys, else ~/.local/share/madoguchi/keys):

- `counter.key` / `counter.pub`: X25519; the kiosks and back office hold the private half, the
  pre-entry site (and kiosks, for printouts) the public half;
- `NAME-signing.key` / `NAME-signing.pub`: Ed25519; `preentry` for the pre-entry site,
  `kiosk` for the QR printed on forms; the kiosk and back office trust the public halves.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from forms.command_line import print_json

if TYPE_CHECKING:
    from types import ModuleType

# forms.payload (cryptography, cbor2, qrcode) is imported when a handler runs, not when the
# `madoguchi` parser is built (every command, `madoguchi kiosk` included, builds it).


def _keys() -> ModuleType:
    from forms.payload import keys

    return keys


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("keys", help="QR 用の鍵 / key pairs for the QR payload")
    sub = p.add_subparsers(dest="keys_command", metavar="ACTION", required=True)

    def common(q: argparse.ArgumentParser) -> None:
        q.add_argument("--out", type=Path, default=None, help="folder (default: the key folder)")
        q.add_argument("--force", action="store_true", help="overwrite existing private keys")
        q.add_argument("--json", action="store_true")

    q = sub.add_parser("counter", help="窓口鍵ペア / office counter key pair (X25519)")
    common(q)
    q.set_defaults(handler=_counter)
    q = sub.add_parser("signing", help="署名鍵ペア / signing key pair (Ed25519)")
    q.add_argument("--name", default="preentry", help="preentry (default) or kiosk, …")
    common(q)
    q.set_defaults(handler=_signing)
    q = sub.add_parser("demo", help="デモ用の一式 / a complete consistent set for the demo")
    common(q)
    q.set_defaults(handler=_demo)
    q = sub.add_parser("show", help="鍵の指紋 / fingerprints of the public keys in a folder")
    q.add_argument("--dir", type=Path, default=None)
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=_show)


def _folder(args: argparse.Namespace) -> Path:
    keys = _keys()
    return args.out if args.out is not None else keys.default_key_dir()


def _write_counter(folder: Path, force: bool) -> dict[str, str]:
    keys = _keys()
    private, public = keys.generate_counter_keypair()
    keys.save_private_key(private, folder / keys.COUNTER_PRIVATE, overwrite=force)
    keys.save_public_key(public, folder / keys.COUNTER_PUBLIC)
    return {"counter": keys.fingerprint(public)}


def _write_signing(folder: Path, name: str, force: bool) -> dict[str, str]:
    keys = _keys()
    private, public = keys.generate_signing_keypair()
    keys.save_private_key(private, folder / keys.signing_private_name(name), overwrite=force)
    keys.save_public_key(public, folder / keys.signing_public_name(name))
    return {f"{name}-signing": keys.fingerprint(public)}


def _report(folder: Path, made: dict[str, str], as_json: bool) -> int:
    if as_json:
        print_json({"dir": str(folder), "keys": made})
    else:
        for name, fp in made.items():
            print(f"{name}: {fp} ({folder})")
    return 0


def _counter(args: argparse.Namespace) -> int:
    folder = _folder(args)
    return _report(folder, _write_counter(folder, args.force), args.json)


def _signing(args: argparse.Namespace) -> int:
    folder = _folder(args)
    return _report(folder, _write_signing(folder, args.name, args.force), args.json)


def _demo(args: argparse.Namespace) -> int:
    folder = _folder(args)
    made = _write_counter(folder, args.force)
    made |= _write_signing(folder, "preentry", args.force)
    made |= _write_signing(folder, "kiosk", args.force)
    return _report(folder, made, args.json)


def _show(args: argparse.Namespace) -> int:
    keys = _keys()
    folder = args.dir if args.dir is not None else keys.default_key_dir()
    found = {
        p.name: keys.fingerprint(keys.load_public_key(p)) for p in sorted(folder.glob("*.pub"))
    }
    return _report(folder, found, args.json)
