"""Signed template bundles: how published templates reach the pre-entry site by hand.

The pre-entry site is on the internet and has no network path to the office, so an admin
exports the templates (and life-event bundles) as one signed file and carries it over. The
site trusts only the Ed25519 public keys it was given.

Format (decision: one canonical CBOR document rather than a zip, so that *every* byte is
covered — a zip has timestamps, extra fields and comments no check would notice):

    {"format": "madoguchi-template-bundle", "v": 1,
     "signer": <32-byte raw Ed25519 public key>,
     "manifest": <canonical JSON bytes, see Manifest>,
     "signature": <64-byte Ed25519 signature over DOMAIN + manifest>,
     "files": {"templates/<id>-v<version>.yaml": <UTF-8 YAML>, "bundles/<id>.yaml": …}}

The manifest lists every file with its sha256 and size, the signer's fingerprint and when the
bundle was made. Loading refuses, each with its own error: a file larger than the bounds
(`BundleTooLarge`, checked before decoding; nothing is compressed, so nothing can expand), a
document that is not exactly this shape in canonical CBOR (`BundleMalformed`), a signer not
in the trusted keys (`BundleUnknownSigner`), a signature, hash, size or file list that does not
match (`BundleTampered`), and a template or bundle that does not load (`BundleContentInvalid`,
every problem listed).

For the pre-entry site: `read_signed_bundle_catalog(path, [public_key])` gives the `Catalog`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from pathlib import Path
from typing import Any

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from forms.bundle import Bundle, dump_bundle, parse_bundle
from forms.catalog import Catalog
from forms.clock import office_clock
from forms.errors import MadoguchiError, TemplateError
from forms.payload.keys import fingerprint
from forms.template import Template, dump_template, parse_template

FORMAT = "madoguchi-template-bundle"
FORMAT_VERSION = 1
DOMAIN = b"madoguchi-template-bundle/1\n"  # signed before the manifest: no cross-protocol reuse

MAX_BUNDLE_BYTES = 8 * 1024 * 1024
MAX_FILE_BYTES = 1024 * 1024
MAX_MANIFEST_BYTES = 256 * 1024
MAX_FILES = 256
_DOCUMENT_KEYS = {"format", "v", "signer", "manifest", "signature", "files"}


# --- errors ---------------------------------------------------------------------------------


class SignedBundleError(MadoguchiError):
    """Base of every refusal of a signed template bundle."""

    code = "signed_bundle"
    exit_code = 1


class BundleTooLarge(SignedBundleError):
    code = "signed_bundle_too_large"

    def __init__(self, what: str, limit: int) -> None:
        super().__init__(
            f"様式パッケージが大きすぎます（{what}、上限 {limit}）",
            f"the template bundle is too large ({what}, limit {limit})",
        )
        self.limit = limit


class BundleMalformed(SignedBundleError):
    code = "signed_bundle_malformed"

    def __init__(self, reason_ja: str, reason_en: str) -> None:
        super().__init__(
            f"様式パッケージの形式が正しくありません（{reason_ja}）",
            f"not a valid template bundle ({reason_en})",
        )


class BundleUnknownSigner(SignedBundleError):
    code = "signed_bundle_unknown_signer"

    def __init__(self, signer: str) -> None:
        super().__init__(
            f"信頼していない鍵（{signer}）で署名された様式パッケージです",
            f"the template bundle is signed by an untrusted key ({signer})",
        )
        self.signer = signer


class BundleTampered(SignedBundleError):
    code = "signed_bundle_tampered"

    def __init__(self, reason_ja: str, reason_en: str) -> None:
        super().__init__(
            f"様式パッケージが改ざんされているか壊れています（{reason_ja}）",
            f"the template bundle was altered or damaged ({reason_en})",
        )


class BundleContentInvalid(SignedBundleError):
    """Correctly signed, but a template or bundle inside does not load; `problems` has each."""

    code = "signed_bundle_invalid_content"

    def __init__(self, problems: list[str]) -> None:
        super().__init__(
            f"様式パッケージの内容に誤りがあります（{len(problems)}件）",
            f"the template bundle's content is invalid ({len(problems)} problem(s))",
        )
        self.problems = problems


class BundleUnreadable(SignedBundleError):
    code = "signed_bundle_unreadable"

    def __init__(self, path: str) -> None:
        super().__init__(
            f"様式パッケージ {path} を読めません", f"cannot read the template bundle {path}"
        )


# --- the manifest ---------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True, frozen=True)


class ManifestEntry(_Strict):
    file: str
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)
    version: int | None = Field(default=None, ge=1)  # templates only
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0, le=MAX_FILE_BYTES)


class Manifest(_Strict):
    format: str
    format_version: int
    created_at: dt.datetime
    signer: str
    templates: list[ManifestEntry] = Field(max_length=MAX_FILES)
    bundles: list[ManifestEntry] = Field(max_length=MAX_FILES)


def _canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _entry(file: str, data: bytes, item_id: str, version: int | None) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "file": file,
        "id": item_id,
        "sha256": hashlib.sha256(data).hexdigest(),
        "size": len(data),
    }
    if version is not None:
        entry["version"] = version
    return entry


def template_file_name(template_id: str, version: int) -> str:
    return f"templates/{template_id}-v{version}.yaml"


def bundle_file_name(bundle_id: str) -> str:
    return f"bundles/{bundle_id}.yaml"


# --- export ---------------------------------------------------------------------------------


def export_signed_bundle(
    templates: list[Template],
    bundles: list[Bundle],
    signing_key: Ed25519PrivateKey,
    *,
    created_at: dt.datetime | None = None,
) -> bytes:
    """One signed document holding `templates` (each version given) and `bundles`.

    Refuses (BundleContentInvalid) what the loading side would refuse: no template, the same
    version twice, a bundle naming a template that is not included, limits exceeded.
    """
    problems: list[str] = []
    if not templates:
        problems.append("templates: 様式がありません / no template")
    keys = [(t.id, t.version) for t in templates]
    problems.extend(
        f"templates: {i} v{v} が重複 / given twice"
        for n, (i, v) in enumerate(keys)
        if (i, v) in keys[:n]
    )
    included = {t.id for t in templates}
    for bundle in bundles:
        problems.extend(
            f"bundles.{bundle.id}: 様式 {m} が含まれていません / template {m} is not included"
            for m in bundle.template_ids(include_optional=True)
            if m not in included
        )
    if len({b.id for b in bundles}) != len(bundles):
        problems.append("bundles: 同じ ID が重複 / a bundle id is given twice")
    if len(templates) + len(bundles) > MAX_FILES:
        problems.append(f"files: {MAX_FILES} 件を超えています / more than {MAX_FILES} files")
    if problems:
        raise BundleContentInvalid(problems)

    files: dict[str, bytes] = {}
    template_entries = []
    for template in templates:
        name = template_file_name(template.id, template.version)
        files[name] = dump_template(template).encode("utf-8")
        template_entries.append(_entry(name, files[name], template.id, template.version))
    bundle_entries = []
    for bundle in bundles:
        name = bundle_file_name(bundle.id)
        files[name] = dump_bundle(bundle).encode("utf-8")
        bundle_entries.append(_entry(name, files[name], bundle.id, None))
    for name, data in files.items():
        if len(data) > MAX_FILE_BYTES:
            raise BundleTooLarge(name, MAX_FILE_BYTES)

    public = signing_key.public_key()
    manifest = _canonical_json(
        {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": (created_at or office_clock().now()).isoformat(),
            "signer": fingerprint(public),
            "templates": template_entries,
            "bundles": bundle_entries,
        }
    )
    document = {
        "format": FORMAT,
        "v": FORMAT_VERSION,
        "signer": _raw(public),
        "manifest": manifest,
        "signature": signing_key.sign(DOMAIN + manifest),
        "files": files,
    }
    out: bytes = cbor2.dumps(document, canonical=True)
    if len(out) > MAX_BUNDLE_BYTES:
        raise BundleTooLarge(f"{len(out)} bytes", MAX_BUNDLE_BYTES)
    return out


# --- loading --------------------------------------------------------------------------------


def load_signed_bundle(
    data: bytes, public_keys: list[Ed25519PublicKey]
) -> tuple[list[Template], list[Bundle]]:
    """The templates and bundles of a signed document, after every check (see the module)."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise BundleMalformed("バイト列ではありません", "not bytes")
    data = bytes(data)
    if len(data) > MAX_BUNDLE_BYTES:
        raise BundleTooLarge(f"{len(data)} bytes", MAX_BUNDLE_BYTES)
    document = _decode(data)
    manifest_bytes, files = _verify(document, public_keys)
    manifest = _manifest(manifest_bytes)
    _check_files(manifest, files)
    return _contents(manifest, files)


def _decode(data: bytes) -> dict[str, Any]:
    stream = io.BytesIO(data)
    try:
        decoder = cbor2.CBORDecoder(
            stream, allow_indefinite=False, allow_duplicate_keys=False, max_depth=8
        )
        document = decoder.decode()
    except Exception:  # cbor2 raises several types (and RecursionError) on hostile input
        raise BundleMalformed("CBOR として読めません", "not readable as CBOR") from None
    if stream.tell() != len(data):
        raise BundleMalformed("末尾に余分なデータがあります", "trailing data")
    if not isinstance(document, dict) or set(document) != _DOCUMENT_KEYS:
        raise BundleMalformed("項目が違います", "unexpected structure")
    if document["format"] != FORMAT:
        raise BundleMalformed("様式パッケージではありません", "not a Madoguchi template bundle")
    if document["v"] != FORMAT_VERSION:
        raise BundleMalformed("対応していない版です", "unsupported format version")
    if not (
        isinstance(document["signer"], bytes)
        and len(document["signer"]) == 32
        and isinstance(document["manifest"], bytes)
        and isinstance(document["signature"], bytes)
        and len(document["signature"]) == 64
        and isinstance(document["files"], dict)
        and all(isinstance(k, str) and isinstance(v, bytes) for k, v in document["files"].items())
    ):
        raise BundleMalformed("項目の型が違います", "a member has the wrong type")
    if len(document["manifest"]) > MAX_MANIFEST_BYTES:
        raise BundleTooLarge("manifest", MAX_MANIFEST_BYTES)
    if len(document["files"]) > MAX_FILES:
        raise BundleTooLarge(f"{len(document['files'])} files", MAX_FILES)
    for name, content in document["files"].items():
        if len(content) > MAX_FILE_BYTES:
            raise BundleTooLarge(name[:80], MAX_FILE_BYTES)
    # Only the canonical encoding is accepted, so no byte can change without notice.
    if cbor2.dumps(document, canonical=True) != data:
        raise BundleMalformed("正規の CBOR ではありません", "not canonical CBOR")
    return document


def _verify(
    document: dict[str, Any], public_keys: list[Ed25519PublicKey]
) -> tuple[bytes, dict[str, bytes]]:
    signer = document["signer"]
    key = next((k for k in public_keys if _raw(k) == signer), None)
    if key is None:
        shown = "sha256:" + hashlib.sha256(signer).hexdigest()[:16]
        raise BundleUnknownSigner(shown)
    try:
        key.verify(document["signature"], DOMAIN + document["manifest"])
    except InvalidSignature:
        raise BundleTampered("署名が一致しません", "the signature does not match") from None
    return document["manifest"], document["files"]


def _manifest(manifest_bytes: bytes) -> Manifest:
    try:
        manifest = Manifest.model_validate_json(manifest_bytes)
    except ValidationError:
        raise BundleMalformed("目録が読めません", "the manifest is not valid") from None
    if manifest.format != FORMAT or manifest.format_version != FORMAT_VERSION:
        raise BundleMalformed("目録の形式が違います", "the manifest's format differs")
    return manifest


def _check_files(manifest: Manifest, files: dict[str, bytes]) -> None:
    entries = [*manifest.templates, *manifest.bundles]
    listed = [e.file for e in entries]
    if len(set(listed)) != len(listed) or set(listed) != set(files):
        raise BundleTampered("ファイルの一覧が目録と違います", "the files differ from the manifest")
    for entry in entries:
        content = files[entry.file]
        if len(content) != entry.size or hashlib.sha256(content).hexdigest() != entry.sha256:
            raise BundleTampered(
                f"{entry.file} の内容が目録と違います", f"{entry.file} differs from the manifest"
            )


def _contents(manifest: Manifest, files: dict[str, bytes]) -> tuple[list[Template], list[Bundle]]:
    problems: list[str] = []
    templates: list[Template] = []
    for entry in manifest.templates:
        template = _load_one(entry, files[entry.file], problems, parse_template)
        if template is None:
            continue
        if (template.id, template.version) != (entry.id, entry.version):
            problems.append(f"{entry.file}: ID・版が目録と違います / id or version differs")
        elif any((t.id, t.version) == (template.id, template.version) for t in templates):
            problems.append(f"{entry.file}: 同じ版が重複 / the same version twice")
        else:
            templates.append(template)
    bundles: list[Bundle] = []
    known = {t.id for t in templates}
    for entry in manifest.bundles:
        bundle = _load_one(entry, files[entry.file], problems, parse_bundle)
        if bundle is None:
            continue
        if bundle.id != entry.id:
            problems.append(f"{entry.file}: ID が目録と違います / id differs")
            continue
        missing = [m for m in bundle.template_ids(include_optional=True) if m not in known]
        problems.extend(
            f"{entry.file}: 様式 {m} がありません / unknown template {m}" for m in missing
        )
        if not missing:
            bundles.append(bundle)
    if not templates and not problems:
        problems.append("templates: 様式がありません / no template")
    if problems:
        raise BundleContentInvalid(problems)
    return templates, bundles


def _load_one(entry: ManifestEntry, content: bytes, problems: list[str], parse: Any) -> Any:
    try:
        return parse(content.decode("utf-8"), entry.file)
    except UnicodeDecodeError:
        problems.append(f"{entry.file}: UTF-8 ではありません / not UTF-8")
    except TemplateError as exc:
        problems.extend(f"{entry.file}: {p}" for p in exc.problems)
    return None


# --- for the pre-entry site -----------------------------------------------------------------


def catalog_of(templates: list[Template], bundles: list[Bundle]) -> Catalog:
    catalog = Catalog()
    for template in templates:
        catalog.add(template)
    for bundle in bundles:
        catalog.add_bundle(bundle)
    return catalog


def read_signed_bundle(
    path: str | Path, public_keys: list[Ed25519PublicKey]
) -> tuple[list[Template], list[Bundle]]:
    """`load_signed_bundle` of a file, refusing an oversize file before reading it whole."""
    try:
        with Path(path).open("rb") as handle:
            data = handle.read(MAX_BUNDLE_BYTES + 1)
    except OSError:
        raise BundleUnreadable(str(path)) from None
    if len(data) > MAX_BUNDLE_BYTES:
        raise BundleTooLarge("file", MAX_BUNDLE_BYTES)
    return load_signed_bundle(data, public_keys)


def read_signed_bundle_catalog(path: str | Path, public_keys: list[Ed25519PublicKey]) -> Catalog:
    """The catalogue the pre-entry site serves: exactly the bundle's templates and bundles."""
    return catalog_of(*read_signed_bundle(path, public_keys))
