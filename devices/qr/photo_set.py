"""A varied, deterministic set of photographs of our QR codes, for tests and `bench qr`.

Subjects are the codes the office really meets: pre-entry QRs on a phone (drawn by
`forms.payload.qr_image`, numeric mode, ECC M), the form's printed data QR (numeric mode through
zxing-cpp's encoder, as `printing.qr_stamp` draws it), the reception slip's short code and a
byte-mode text code with Japanese and a control character. Payload digits are seeded random
digits of the lengths real payloads have (1,088–2,200 digits, versions 17–25): a payload is
ciphertext, so its digits look uniformly random anyway, and a fixed seed keeps the set the same.

Conditions (each photo also gets a random roll, a position and some tilt):
- `screen_angle`: a phone screen at 25–55°, its pixel grid beating into moiré;
- `glare`: a ceiling light mirrored on the screen or glossy paper, saturating part of the code;
- `folded`: printed paper folded across the code (a crease, two differently lit planes) and
  slightly bent elsewhere;
- `low_light`: a dim corner: few photons, high gain, haze, heavy JPEG;
- `motion_blur`: the hand moving during the exposure;
- `small`: the code far away, 1.7–2.8 pixels per module.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import qrcode
import qrcode.constants
import zxingcpp
from PIL import Image

from devices.qr.photo_scene import (
    FRAME_SIZE,
    Camera,
    Carrier,
    Medium,
    Pose,
    background,
    code_corners,
    crease,
    expose,
    glare_spot,
    paper_carrier,
    render_carrier,
    screen_carrier,
)
from forms.payload import qr_image

CONDITIONS: tuple[str, ...] = (
    "screen_angle",
    "glare",
    "folded",
    "low_light",
    "motion_blur",
    "small",
)
PAYLOAD_LENGTHS = (1088, 1387, 1600, 2200)  # idou 1 and 4 persons, the v20 target, a bundle
QUIET_ZONE = 4


@dataclass(frozen=True)
class Subject:
    """A code as it would be shown: its exact content, its modules, where it is shown."""

    label: str
    data: bytes = field(repr=False)
    modules: np.ndarray = field(repr=False)  # bool, True = dark, quiet zone included
    medium: Medium


@dataclass(frozen=True)
class Photo:
    condition: str
    subject: str
    expected: bytes = field(repr=False)
    frame: Image.Image = field(repr=False)


def _pad(matrix: np.ndarray) -> np.ndarray:
    return np.pad(matrix, QUIET_ZONE, constant_values=False)


def preentry_subject(digits: str) -> Subject:
    """The QR the pre-entry site shows on the resident's phone."""
    with Image.open(io.BytesIO(qr_image(digits, box_size=1))) as image:
        modules = np.asarray(image.convert("L")) < 128
    return Subject(f"preentry_{len(digits)}", digits.encode("ascii"), modules, "screen")


def printed_subject(digits: str) -> Subject:
    """The data QR printed on a form (numeric mode, ECC M, zxing-cpp's encoder)."""
    code = zxingcpp.create_barcode(digits, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    modules = np.asarray(code.to_image(scale=1, add_quiet_zones=False)) < 128
    return Subject(f"printed_{len(digits)}", digits.encode("ascii"), _pad(modules), "paper")


def text_subject(label: str, data: bytes, medium: Medium) -> Subject:
    """A byte-mode code (no ECI), as most other software writes text."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QUIET_ZONE)
    code.add_data(data)
    code.make(fit=True)
    return Subject(label, data, np.array(code.get_matrix(), dtype=bool), medium)


def default_subjects(seed: int = 15) -> list[Subject]:
    rng = np.random.default_rng(seed)
    payloads = ["".join(map(str, rng.integers(0, 10, n))) for n in PAYLOAD_LENGTHS]
    return [
        *(preentry_subject(p) for p in payloads),
        *(printed_subject(p) for p in payloads[::2]),
        text_subject("slip_number", b"A-0107", "paper"),
        text_subject("text_ja", "転入 山﨑 髙子\x1d〒160-0023 新宿区".encode(), "screen"),
    ]


# --- conditions -------------------------------------------------------------------------------


def _pose(
    carrier: Carrier,
    modules: int,
    rng: np.random.Generator,
    ppm: tuple[float, float],
    tilt_deg: tuple[float, float],
) -> Pose:
    """A pose with the whole symbol in the frame (a resident moves until the preview shows it)."""
    side = min(modules * float(rng.uniform(*ppm)), 560.0)
    while True:
        room_x = max(FRAME_SIZE[0] / 2 - side * 0.6, 0)
        room_y = max(FRAME_SIZE[1] / 2 - side * 0.6, 0)
        pose = Pose(
            center=(
                FRAME_SIZE[0] / 2 + float(rng.uniform(-room_x, room_x)),
                FRAME_SIZE[1] / 2 + float(rng.uniform(-room_y, room_y)),
            ),
            code_px=side,
            roll=float(rng.uniform(0, 2 * np.pi)),
            # people hold a code roughly square to the camera: small tilts are the common ones
            tilt=float(np.radians(tilt_deg[0] + (tilt_deg[1] - tilt_deg[0]) * rng.random() ** 2)),
            tilt_axis=float(rng.uniform(0, np.pi)),
        )
        corners = code_corners(carrier, pose)
        inside = (corners >= 2).all() and (corners <= np.array(FRAME_SIZE) - 2).all()
        if inside:
            return pose
        side *= 0.95


def _carrier(subject: Subject, rng: np.random.Generator) -> Carrier:
    make = screen_carrier if subject.medium == "screen" else paper_carrier
    return make(subject.modules, rng)


def _light_direction(rng: np.random.Generator) -> np.ndarray:
    v = np.array([rng.uniform(-0.6, 0.6), rng.uniform(-0.8, 0.2), -1.0])
    return v / np.linalg.norm(v)


def _compose(
    carrier: Carrier,
    pose: Pose,
    rng: np.random.Generator,
    *,
    glare: float = 0.0,
    haze: float = 0.0,
) -> np.ndarray:
    """Radiance of the whole scene (0–255 = white at full exposure)."""
    room = float(rng.uniform(0.75, 1.0))
    scene = background(rng) * room
    value, cover, shade = render_carrier(carrier, pose, _light_direction(rng))
    if carrier.medium == "screen":
        seen = value * float(rng.uniform(0.85, 1.0)) + float(rng.uniform(5, 25))  # glow + room
    else:
        seen = value * shade * room
    if glare > 0:
        spread = pose.code_px
        spot = glare_spot(
            scene.shape,
            (
                pose.center[0] + float(rng.uniform(-0.35, 0.35)) * spread,
                pose.center[1] + float(rng.uniform(-0.35, 0.35)) * spread,
            ),
            (spread * float(rng.uniform(0.08, 0.25)), spread * float(rng.uniform(0.05, 0.18))),
            float(rng.uniform(0, np.pi)),
        )
        seen = seen + spot * glare
    radiance = scene * (1 - cover) + seen * cover
    if haze > 0:
        radiance = radiance * (1 - haze) + float(radiance.mean()) * haze
    return radiance


def _screen_angle(subject: Subject, rng: np.random.Generator) -> Image.Image:
    carrier = _carrier(subject, rng)
    pose = _pose(carrier, subject.modules.shape[0], rng, (3.5, 6.0), (25, 55))
    radiance = _compose(carrier, pose, rng)
    camera = Camera(defocus=float(rng.uniform(0.3, 0.9)), jpeg_quality=int(rng.integers(75, 93)))
    return expose(radiance, camera, rng)


def _glare(subject: Subject, rng: np.random.Generator) -> Image.Image:
    carrier = _carrier(subject, rng)
    pose = _pose(carrier, subject.modules.shape[0], rng, (3.5, 6.0), (0, 30))
    radiance = _compose(carrier, pose, rng, glare=float(rng.uniform(120, 320)))
    camera = Camera(defocus=float(rng.uniform(0.4, 0.9)), jpeg_quality=int(rng.integers(75, 93)))
    return expose(radiance, camera, rng)


def _folded(subject: Subject, rng: np.random.Generator) -> Image.Image:
    carrier = _carrier(subject, rng)
    width = carrier.pixels.shape[1]
    fold = carrier.code_center[0] + carrier.code_side * float(rng.uniform(-0.3, 0.3))
    sign = 1 if rng.random() < 0.5 else -1
    hinges = [(fold / width, sign * float(np.radians(rng.uniform(10, 35))))]
    for _ in range(2):  # the paper is not quite flat elsewhere either
        at = float(rng.uniform(0.05, 0.95))
        if abs(at * width - fold) > carrier.code_side * 0.08:
            hinges.append((at, float(np.radians(rng.uniform(-10, 10)))))
    pose = _pose(carrier, subject.modules.shape[0], rng, (3.5, 6.0), (0, 25))
    pose = Pose(pose.center, pose.code_px, pose.roll, pose.tilt, pose.tilt_axis,
                tuple(sorted(hinges)))  # fmt: skip
    radiance = _compose(crease(carrier, fold, rng), pose, rng)
    camera = Camera(defocus=float(rng.uniform(0.4, 0.9)), jpeg_quality=int(rng.integers(75, 93)))
    return expose(radiance, camera, rng)


def _low_light(subject: Subject, rng: np.random.Generator) -> Image.Image:
    carrier = _carrier(subject, rng)
    pose = _pose(carrier, subject.modules.shape[0], rng, (3.5, 6.0), (0, 25))
    haze = float(rng.uniform(0.2, 0.5))
    radiance = _compose(carrier, pose, rng, haze=haze)
    camera = Camera(
        light=float(rng.uniform(0.06, 0.2)),
        defocus=float(rng.uniform(0.6, 1.2)),
        jpeg_quality=int(rng.integers(55, 76)),
    )
    return expose(radiance, camera, rng)


def _motion_blur(subject: Subject, rng: np.random.Generator) -> Image.Image:
    carrier = _carrier(subject, rng)
    pose = _pose(carrier, subject.modules.shape[0], rng, (4.0, 6.5), (0, 25))
    radiance = _compose(carrier, pose, rng)
    camera = Camera(
        defocus=float(rng.uniform(0.3, 0.7)),
        motion=(float(rng.uniform(3, 10)), float(rng.uniform(0, np.pi))),
        jpeg_quality=int(rng.integers(75, 93)),
    )
    return expose(radiance, camera, rng)


def _small(subject: Subject, rng: np.random.Generator) -> Image.Image:
    carrier = _carrier(subject, rng)
    pose = _pose(carrier, subject.modules.shape[0], rng, (1.7, 2.8), (0, 20))
    radiance = _compose(carrier, pose, rng)
    camera = Camera(defocus=float(rng.uniform(0.4, 0.8)), jpeg_quality=int(rng.integers(75, 93)))
    return expose(radiance, camera, rng)


SHOOT: dict[str, Callable[[Subject, np.random.Generator], Image.Image]] = {
    "screen_angle": _screen_angle,
    "glare": _glare,
    "folded": _folded,
    "low_light": _low_light,
    "motion_blur": _motion_blur,
    "small": _small,
}
MEDIA: dict[str, tuple[Medium, ...]] = {
    "screen_angle": ("screen",),
    "folded": ("paper",),
    "low_light": ("paper", "screen"),
}


def photo_set(
    per_condition: int = 12, seed: int = 15, subjects: list[Subject] | None = None
) -> list[Photo]:
    """`per_condition` photos of each condition, subjects taken in turn among those that fit."""
    chosen = subjects if subjects is not None else default_subjects(seed)
    out = []
    for index, condition in enumerate(CONDITIONS):
        media = MEDIA.get(condition, ("paper", "screen"))
        fitting = [s for s in chosen if s.medium in media]
        for n in range(per_condition):
            subject = fitting[n % len(fitting)]
            rng = np.random.default_rng([seed, index, n])
            frame = SHOOT[condition](subject, rng)
            out.append(Photo(condition, subject.label, subject.data, frame))
    return out


def empty_frames(count: int = 8, seed: int = 15) -> list[Image.Image]:
    """Frames of the counter with no code in sight (some with a form held up, without its QR)."""
    out = []
    for n in range(count):
        rng = np.random.default_rng([seed, 99, n])
        if n % 2:
            blank = np.zeros((25, 25), bool)  # a form whose code area is blank paper
            carrier = paper_carrier(blank, rng)
            pose = _pose(carrier, blank.shape[0], rng, (14, 20), (0, 25))
            radiance = _compose(carrier, pose, rng)
        else:
            radiance = background(rng)
        out.append(expose(radiance, Camera(defocus=0.6), rng))
    return out
